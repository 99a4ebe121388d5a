import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { tenantBaseUrl } from '#config/app'
import User from '#identity/models/user'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import {
  exchangeCode,
  installSso,
  postToAcs,
  refusals,
  serviceProviderOf,
  startLogin,
} from './saml/sso_workspace.js'
import { type AssertionSpec, TestIdp } from './saml/test_idp.js'

const SSO_URL = 'https://idp.example.test/sso'

let idp: TestIdp
let folder: string

const ada = (overrides: Partial<AssertionSpec> = {}): AssertionSpec => ({
  sp: serviceProviderOf('acme'),
  nameId: 'ada@acme.test',
  attributes: { email: ['ada@acme.test'], displayName: ['Ada Lovelace'] },
  ...overrides,
})

/** The IdP given one setting at a time rather than by metadata. */
const oneByOne = () => ({
  saml_idp_entity_id: idp.entityId,
  saml_idp_sso_url: SSO_URL,
  saml_idp_certificate: idp.certificate,
})

/** A metadata URL on a local server, counting how often it is fetched. */
async function metadataServer(body: () => string) {
  let hits = 0
  const server: Server = createServer((_request, response) => {
    hits++
    response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/metadata.xml`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

async function acmeWith(client: ApiClient, settings: Record<string, unknown>) {
  const acme = await createTenant('acme')
  await installSso(client, acme, settings)
  return acme
}

test.group('SSO SAML: the service provider', (group) => {
  group.setup(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tandem-saml-idp-'))
    idp = await TestIdp.create(folder)
    return () => rm(folder, { recursive: true, force: true })
  })
  group.each.setup(() => resetDatabase())

  test('each workspace publishes its own SP metadata, before SAML is even configured', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installSso(client, acme, { saml_enabled: false })
    await installSso(client, globex, { saml_enabled: false })

    const response = await client.get('/auth/saml/metadata').header('host', acme.host)
    const other = await client.get('/auth/saml/metadata').header('host', globex.host)

    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'application/samlmetadata+xml')
    const xml = response.text()
    const sp = serviceProviderOf('acme')
    assert.include(xml, `entityID="${sp.entityId}"`)
    assert.include(xml, 'WantAssertionsSigned="true"')
    assert.match(
      xml,
      new RegExp(
        `<AssertionConsumerService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"[^>]*Location="${sp.acsUrl}"`
      )
    )
    assert.include(other.text(), `entityID="${serviceProviderOf('globex').entityId}"`)
  })

  test('login redirects to the IdP with an AuthnRequest from this workspace', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWith(client, oneByOne())

    const login = await startLogin(client, acme)

    login.response.assertStatus(302)
    assert.isTrue(login.location.startsWith(`${SSO_URL}?SAMLRequest=`))
    const sp = serviceProviderOf('acme')
    assert.include(login.xml, `AssertionConsumerServiceURL="${sp.acsUrl}"`)
    assert.include(login.xml, `Destination="${SSO_URL}"`)
    assert.include(login.xml, `>${sp.entityId}</saml:Issuer>`)
    assert.notInclude(login.xml, 'RequestedAuthnContext')
    assert.isString(login.requestId)
  })

  test('an SP-initiated response signs in once, back to where the login asked (within the workspace)', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWith(client, oneByOne())
    const inWorkspace = `${tenantBaseUrl('acme')}/tasks/12`
    const first = await startLogin(client, acme, inWorkspace)
    const foreign = await startLogin(client, acme, 'https://evil.example.test/steal')

    const back = await postToAcs(
      client,
      acme,
      idp.signedResponse(ada({ inResponseTo: first.requestId! }))
    )
    const home = await postToAcs(
      client,
      acme,
      idp.signedResponse(ada({ inResponseTo: foreign.requestId! }))
    )
    const again = await postToAcs(
      client,
      acme,
      idp.signedResponse(ada({ inResponseTo: first.requestId! }))
    )

    assert.deepEqual([back.status(), home.status(), again.status()], [302, 302, 401])
    assert.isTrue(back.header('location')!.startsWith(`${inWorkspace}?code=`))
    assert.isTrue(home.header('location')!.startsWith(`${tenantBaseUrl('acme')}/?code=`))
    assert.deepEqual(await refusals(acme), ['unknown_request'])
  })

  test('SAML off, or an IdP without a usable certificate, refuses login and responses as not configured', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWith(client, { ...oneByOne(), saml_enabled: false })
    const globex = await createTenant('globex')
    await installSso(client, globex, {
      saml_idp_entity_id: idp.entityId,
      saml_idp_sso_url: SSO_URL,
    })
    const initech = await createTenant('initech')
    await installSso(client, initech, { ...oneByOne(), saml_idp_certificate: 'QUJD'.repeat(40) })

    const login = await startLogin(client, acme)
    const acs = await postToAcs(client, acme, idp.signedResponse(ada()))
    const noCertificate = await startLogin(client, globex)
    const badCertificate = await startLogin(client, initech)

    assert.deepEqual(
      [
        login.response.status(),
        acs.status(),
        noCertificate.response.status(),
        badCertificate.response.status(),
      ],
      [401, 401, 401, 401]
    )
    assert.deepEqual(await refusals(acme), ['not_configured', 'not_configured'])
    assert.deepEqual(await refusals(globex), ['not_configured'])
    assert.deepEqual(await refusals(initech), ['not_configured'])
  })

  test('metadata from a URL is fetched through the plugin and cached', async ({
    client,
    assert,
  }) => {
    const server = await metadataServer(() => idp.metadataXml(SSO_URL))
    try {
      const acme = await acmeWith(client, { saml_idp_metadata_url: server.url })

      const first = await startLogin(client, acme)
      const second = await startLogin(client, acme)
      const signedIn = await postToAcs(client, acme, idp.signedResponse(ada()))

      assert.deepEqual([first.response.status(), second.response.status()], [302, 302])
      assert.isTrue(first.location.startsWith(`${SSO_URL}?`))
      signedIn.assertStatus(302)
      assert.equal(server.hits(), 1)
    } finally {
      await server.close()
    }
  })

  test('an unreachable metadata URL refuses as not configured', async ({ client, assert }) => {
    const acme = await acmeWith(client, { saml_idp_metadata_url: 'http://127.0.0.1:9/nothing' })

    const login = await startLogin(client, acme)

    login.response.assertStatus(401)
    assert.deepEqual(await refusals(acme), ['not_configured'])
  })

  test('Entra ID’s claim names map to email, name and groups; the highest mapped role wins', async ({
    client,
    assert,
  }) => {
    const acme = await acmeWith(client, {
      ...oneByOne(),
      group_roles: [
        { group: '5c1f-guests', role: 'guest' },
        { group: '9a2e-admins', role: 'admin' },
      ],
    })
    const response = idp.signedResponse(
      ada({
        nameId: 'AAAAAAAAAAAAAAAAAAAAAKx3',
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        attributes: {
          'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': ['Ada@Acme.test'],
          'http://schemas.microsoft.com/identity/claims/displayname': ['Ada Lovelace'],
          'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': [
            '5c1f-guests',
            '9a2e-admins',
          ],
        },
      })
    )

    const acs = await postToAcs(client, acme, response)

    acs.assertStatus(302)
    const session = await exchangeCode(client, acme, acs.header('location')!)
    const member = await acme.run(() => User.findOrFail(session.member.id))
    assert.deepEqual(
      [member.email, member.fullName, member.role],
      ['ada@acme.test', 'Ada Lovelace', 'admin']
    )
  })

  test('configured attribute names are the only ones read', async ({ client, assert }) => {
    const acme = await acmeWith(client, {
      ...oneByOne(),
      saml_email_attribute: 'workEmail',
      saml_name_attribute: 'fullName',
      saml_groups_attribute: 'teams',
      group_roles: [{ group: 'ops', role: 'admin' }],
    })
    const withOthers = idp.signedResponse(
      ada({ attributes: { email: ['ada@acme.test'], groups: ['ops'] } })
    )
    const withConfigured = idp.signedResponse(
      ada({
        attributes: { workEmail: ['ada@acme.test'], fullName: ['A. Lovelace'], teams: ['ops'] },
      })
    )

    const refused = await postToAcs(client, acme, withOthers)
    const accepted = await postToAcs(client, acme, withConfigured)

    assert.deepEqual([refused.status(), accepted.status()], [401, 302])
    assert.deepEqual(await refusals(acme), ['no_email'])
    const session = await exchangeCode(client, acme, accepted.header('location')!)
    const me = await as(client, acme, session.token).get('/me')
    assert.include(me.body().data, { full_name: 'A. Lovelace', role: 'admin' })
  })

  test('a disabled plugin’s SAML routes are not found', async ({ client }) => {
    const acme = await acmeWith(client, oneByOne())
    await as(client, acme, acme.ownerToken).post('/plugins/sso/disable')

    const metadata = await client.get('/auth/saml/metadata').header('host', acme.host)
    const acs = await postToAcs(client, acme, idp.signedResponse(ada()))

    metadata.assertStatus(404)
    acs.assertStatus(404)
  })
})
