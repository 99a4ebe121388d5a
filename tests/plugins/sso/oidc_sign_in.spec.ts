/* eslint-disable @unicorn/no-await-expression-member -- these specs read an awaited response inline, one request per line */
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { tenantBaseUrl } from '#config/app'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import { startIdentityProvider, type TestIdentityProvider } from './oidc/identity_provider.js'
import {
  auditOf,
  browserAt,
  callbackUrlOf,
  exchange,
  installOidc,
  locationOf,
  membersOf,
} from './oidc/sign_in_flow.js'

const ADA = {
  sub: 'ada-0001',
  email: 'Ada@Acme.test',
  email_verified: true,
  name: 'Ada Lovelace',
  groups: ['engineering', 'tandem-admins'],
}

test.group('sso OIDC: signing in through a real OpenID Provider', (group) => {
  let idp: TestIdentityProvider
  group.setup(async () => {
    idp = await startIdentityProvider([callbackUrlOf('acme')])
    return () => idp.stop()
  })
  group.each.setup(() => resetDatabase())
  group.each.setup(() => idp.reset())

  test('a member signs in with code + PKCE and lands back with a code for a normal token', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    await installOidc(client, acme, idp)
    idp.account(ADA)
    const browser = browserAt(client, acme)
    const returnTo = `${tenantBaseUrl('acme')}/projects?tab=mine`

    const login = await browser.startLogin(`?return_to=${encodeURIComponent(returnTo)}`)
    login.assertStatus(302)
    const authorization = new URL(locationOf(login))
    const back = await idp.signIn(authorization.href, { as: ADA.sub })
    const callback = await browser.callback(back)
    callback.assertStatus(302)
    const landing = new URL(locationOf(callback))
    const session = await exchange(client, acme, landing.href)
    session.assertStatus(200)
    // The code is good for one exchange only.
    const again = await exchange(client, acme, landing.href)
    again.assertStatus(400)
    assert.equal(again.body().errors[0].code, 'E_INVALID_CODE')
    const me = await client
      .get('/api/v1/me')
      .header('host', acme.host)
      .bearerToken(session.body().data.token)

    assert.equal(authorization.origin + authorization.pathname, `${idp.issuer}/auth`)
    assert.containsSubset(Object.fromEntries(authorization.searchParams), {
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: callbackUrlOf('acme'),
      scope: 'openid email profile groups',
      code_challenge_method: 'S256',
    })
    assert.match(authorization.searchParams.get('code_challenge')!, /^[\w-]{43}$/)
    assert.isAtLeast(authorization.searchParams.get('nonce')!.length, 43)
    assert.equal(back.origin + back.pathname, callbackUrlOf('acme'))
    assert.equal(`${landing.origin}${landing.pathname}`, `${tenantBaseUrl('acme')}/projects`)
    assert.equal(landing.searchParams.get('tab'), 'mine')
    me.assertStatus(200)
    assert.containsSubset(me.body().data, {
      email: 'ada@acme.test',
      full_name: 'Ada Lovelace',
      role: 'admin',
      status: 'active',
    })
    const [ssoLogin] = await auditOf(acme, 'sso.login')
    assert.deepEqual(ssoLogin, {
      actor: 'plugin:sso',
      metadata: { protocol: 'oidc', issuer: idp.issuer, subject: ADA.sub },
    })
    const [authLogin] = await auditOf(acme, 'auth.login')
    assert.containsSubset(authLogin.metadata, { method: 'oidc', plugin: 'sso' })
    // The state was used: the pending request is gone.
    const pending = await db.from(`${acme.schema}.sso_pending_requests`).count('* as count')
    assert.equal(Number(pending[0].count), 0)
  })

  test('the client secret is write-only in the API and encrypted at rest', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    await installOidc(client, acme, idp)

    const shown = await as(client, acme, acme.ownerToken).get('/plugins/sso')
    const stored = await db
      .from(`${acme.schema}.plugin_installations`)
      .where('plugin_id', 'sso')
      .select('settings')
      .first()

    shown.assertStatus(200)
    assert.equal(shown.body().data.installation.settings.oidc_client_secret, '********')
    assert.notInclude(JSON.stringify(shown.body()), idp.clientSecret)
    assert.notInclude(stored.settings, idp.clientSecret)
    assert.notInclude(stored.settings, idp.issuer)
  })

  test('the next sign-in finds the linked member and follows the IdP: name, email, role', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    await installOidc(client, acme, idp)
    idp.account(ADA)
    const signIn = async () => {
      const browser = browserAt(client, acme)
      const login = await browser.startLogin()
      const callback = await browser.callback(await idp.signIn(locationOf(login), { as: ADA.sub }))
      callback.assertStatus(302)
      return (await exchange(client, acme, locationOf(callback))).body().data.member
    }

    const first = await signIn()
    idp.account({ ...ADA, email: 'ada.king@acme.test', name: 'Ada King', groups: ['contractors'] })
    const second = await signIn()

    assert.equal(second.id, first.id)
    assert.containsSubset(second, {
      email: 'ada.king@acme.test',
      full_name: 'Ada King',
      role: 'guest',
    })
    assert.deepEqual(await membersOf(acme), ['owner@acme.test', 'ada.king@acme.test'])
  })

  test('an ID token without the profile claims is completed from the userinfo endpoint', async ({
    client,
    assert,
  }) => {
    // oidc-provider keeps ID tokens thin when it issues an access token
    // (conformIdTokenClaims): email, name and groups come from userinfo.
    const acme = await createTenant('acme')
    await installOidc(client, acme, idp, { oidc_groups_claim: 'groups', group_roles: [] })
    idp.account({ sub: 'grace-7', email: 'grace@acme.test', name: 'Grace Hopper' })
    const browser = browserAt(client, acme)

    const login = await browser.startLogin()
    const callback = await browser.callback(await idp.signIn(locationOf(login), { as: 'grace-7' }))
    const member = (await exchange(client, acme, locationOf(callback))).body().data.member

    // No email_verified claim at all is not a refusal: only an explicit false is.
    assert.containsSubset(member, {
      email: 'grace@acme.test',
      full_name: 'Grace Hopper',
      role: 'member',
    })
  })
})
