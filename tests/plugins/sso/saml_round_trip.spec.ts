import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import User from '#identity/models/user'
import { tenantBaseUrl } from '#config/app'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import { IdpBrowser } from './saml/idp_browser.js'
import { needsSimpleSamlPhp, type SimpleSamlPhp, startSimpleSamlPhp } from './saml/simplesamlphp.js'
import {
  auditedLogins,
  exchangeCode,
  installSso,
  postToAcs,
  refusals,
  serviceProviderOf,
  startLogin,
} from './saml/sso_workspace.js'

const ADA = { username: 'ada', password: 'ada-password' }
const BOB = { username: 'bob', password: 'bob-password' }
const CAROL = { username: 'carol', password: 'carol-password' }
const OLIVE = { username: 'olive', password: 'olive-password' }

let idp: SimpleSamlPhp

/** The browser's whole trip: Tandem → SimpleSAMLphp's login form → the form it posts back. */
async function signInAtIdp(
  client: ApiClient,
  tenant: TestTenant,
  user: { username: string; password: string },
  returnTo?: string
) {
  const login = await startLogin(client, tenant, returnTo)
  login.response.assertStatus(302)
  const form = await new IdpBrowser().signIn(login.location, user.username, user.password)
  return { login, form }
}

async function signInThroughTandem(
  client: ApiClient,
  tenant: TestTenant,
  user: { username: string; password: string }
) {
  const { form } = await signInAtIdp(client, tenant, user)
  return postToAcs(client, tenant, {
    SAMLResponse: form.fields.SAMLResponse,
    ...(form.fields.RelayState ? { RelayState: form.fields.RelayState } : {}),
  })
}

async function acmeWithSso(client: ApiClient, settings: Record<string, unknown> = {}) {
  const acme = await createTenant('acme')
  await installSso(client, acme, { saml_idp_metadata_url: idp.metadataUrl, ...settings })
  return acme
}

test.group('SSO SAML: a real round trip with SimpleSAMLphp', (group) => {
  needsSimpleSamlPhp(group)
  group.setup(async () => {
    idp = await startSimpleSamlPhp({
      serviceProviders: [serviceProviderOf('acme'), serviceProviderOf('globex')],
      users: [
        {
          ...ADA,
          attributes: {
            email: ['ada@acme.test'],
            displayName: ['Ada Lovelace'],
            groups: ['engineering', 'staff'],
          },
        },
        { ...BOB, attributes: { email: ['bob@partner.test'], displayName: ['Bob'] } },
        { ...CAROL, attributes: { email: ['carol@acme.test'], displayName: ['Carol'] } },
        {
          ...OLIVE,
          attributes: { email: ['owner@acme.test'], displayName: ['Olive'], groups: ['staff'] },
        },
      ],
    })
    return () => idp.stop()
  })
  group.each.setup(() => resetDatabase())

  test('a member signs in without a password: JIT account with the mapped role, a normal token', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWithSso(client, {
      group_roles: [
        { group: 'staff', role: 'guest' },
        { group: 'engineering', role: 'admin' },
      ],
    })
    const returnTo = `${tenantBaseUrl('acme')}/projects`

    const { login, form } = await signInAtIdp(client, acme, ADA, returnTo)
    assert.isTrue(login.location.startsWith(`${idp.ssoUrl}?SAMLRequest=`))
    assert.equal(form.action, serviceProviderOf('acme').acsUrl)
    const acs = await postToAcs(client, acme, { SAMLResponse: form.fields.SAMLResponse })

    acs.assertStatus(302)
    const location = acs.header('location')!
    assert.isTrue(location.startsWith(`${returnTo}?code=`), location)
    const session = await exchangeCode(client, acme, location)
    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(session.token)
    me.assertStatus(200)
    assert.include(me.body().data, {
      email: 'ada@acme.test',
      full_name: 'Ada Lovelace',
      role: 'admin',
    })
    const ada = await acme.run(() => User.findByOrFail('email', 'ada@acme.test'))
    assert.isNull(ada.password)
    const logins = await auditedLogins(acme)
    assert.sameMembers(
      logins.map((event) => event.action),
      ['auth.login', 'sso.login']
    )
    const authLogin = logins.find((event) => event.action === 'auth.login')!
    const ssoLogin = logins.find((event) => event.action === 'sso.login')!
    assert.include(authLogin.metadata, { method: 'saml', plugin: 'sso' })
    assert.equal(authLogin.targetId, String(ada.id))
    assert.include(ssoLogin.metadata, {
      protocol: 'saml',
      issuer: idp.entityId,
      subject: 'ada@acme.test',
    })
    assert.deepEqual(await refusals(acme), [])
  })

  test('the same response posted twice signs in once', async ({ client, assert }) => {
    const acme = await acmeWithSso(client)
    const { form } = await signInAtIdp(client, acme, ADA)

    const first = await postToAcs(client, acme, { SAMLResponse: form.fields.SAMLResponse })
    const second = await postToAcs(client, acme, { SAMLResponse: form.fields.SAMLResponse })

    assert.deepEqual([first.status(), second.status()], [302, 401])
    assert.equal(second.body().errors[0].code, 'E_SSO_FAILED')
    assert.deepEqual(await refusals(acme), ['replayed'])
  })

  test('a response SimpleSAMLphp made for acme is refused by globex, and still works on acme', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWithSso(client)
    const globex = await createTenant('globex')
    await installSso(client, globex, { saml_idp_metadata_url: idp.metadataUrl })
    const { form } = await signInAtIdp(client, acme, ADA)

    const onGlobex = await postToAcs(client, globex, { SAMLResponse: form.fields.SAMLResponse })
    const onAcme = await postToAcs(client, acme, { SAMLResponse: form.fields.SAMLResponse })

    assert.deepEqual([onGlobex.status(), onAcme.status()], [401, 302])
    assert.deepEqual(await refusals(globex), ['unknown_request'])
    const globexMembers = await globex.run(() => User.query().where('email', 'ada@acme.test'))
    assert.lengthOf(globexMembers, 0)
  })

  test('without JIT provisioning an unknown member is refused and no account is created', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWithSso(client, { jit_provisioning: false })

    const response = await signInThroughTandem(client, acme, CAROL)

    response.assertStatus(401)
    assert.deepEqual(await refusals(acme), ['not_provisioned'])
    assert.isNull(await acme.run(() => User.findBy('email', 'carol@acme.test')))
  })

  test('an email outside the allowed domains is refused', async ({ client, assert }) => {
    const acme = await acmeWithSso(client, { allowed_email_domains: ['acme.test'] })

    const refused = await signInThroughTandem(client, acme, BOB)
    const allowed = await signInThroughTandem(client, acme, ADA)

    assert.deepEqual([refused.status(), allowed.status()], [401, 302])
    assert.deepEqual(await refusals(acme), ['email_domain_not_allowed'])
    assert.isNull(await acme.run(() => User.findBy('email', 'bob@partner.test')))
  })

  test('a deactivated member is refused', async ({ client, assert }) => {
    const acme = await acmeWithSso(client)
    const { user } = await acme.member('member', 'carol@acme.test')
    await as(client, acme, acme.ownerToken).post(`/members/${user.id}/deactivate`)

    const response = await signInThroughTandem(client, acme, CAROL)

    response.assertStatus(401)
    assert.deepEqual(await refusals(acme), ['deactivated'])
  })

  test('an existing member’s role and name follow the IdP; the owner’s role never changes', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWithSso(client, {
      group_roles: [
        { group: 'engineering', role: 'admin' },
        { group: 'staff', role: 'member' },
      ],
    })
    const { user: ada } = await acme.member('member', 'ada@acme.test')

    const adaSignIn = await signInThroughTandem(client, acme, ADA)
    const oliveSignIn = await signInThroughTandem(client, acme, OLIVE)

    assert.deepEqual([adaSignIn.status(), oliveSignIn.status()], [302, 302])
    const session = await exchangeCode(client, acme, adaSignIn.header('location')!)
    assert.equal(session.member.id, ada.id)
    const updated = await acme.run(() => User.findOrFail(ada.id))
    assert.deepEqual([updated.role, updated.fullName], ['admin', 'Ada Lovelace'])
    const owner = await acme.run(() => User.findOrFail(acme.owner.id))
    assert.equal(owner.role, 'owner')
  })
})
