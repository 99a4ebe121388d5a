import { test } from '@japa/runner'
import { expectStatus } from '#tests/helpers/http'
import type { ApiClient } from '@japa/api-client'
import { createTenant, PASSWORD, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { installPlugin } from '#tests/helpers/plugins'
import { tenantBaseUrl } from '#config/app'
import AuditEvent from '#audit/models/audit_event'
import {} from '#tests/helpers/scim'

function login(client: ApiClient, tenant: TestTenant, email: string, password = PASSWORD) {
  return client.post('/api/v1/auth/login').header('host', tenant.host).json({ email, password })
}

function requireSso(client: ApiClient, tenant: TestTenant, on: boolean) {
  return client
    .put('/api/v1/sign-in-policy')
    .header('host', tenant.host)
    .bearerToken(tenant.ownerToken)
    .json({ require_sso: on })
}

test.group('Sign-in policy: Require SSO', (group) => {
  group.each.setup(() => resetDatabase())

  test('with SSO required, password sign-in is refused to all but owners, after the password', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const { user: admin } = await acme.member('admin', 'admin@acme.test')
    await expectStatus(login(client, acme, admin.email), 201)

    const changed = await requireSso(client, acme, true)
    changed.assertStatus(200)
    assert.isTrue(changed.body().data.require_sso)
    assert.equal(changed.body().data.updated_by, acme.owner.id)

    const refused = await login(client, acme, admin.email)
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].code, 'E_SSO_REQUIRED')
    // A wrong password learns nothing about the policy.
    const wrong = await login(client, acme, admin.email, 'not the password')
    wrong.assertStatus(401)

    // Owners keep the break-glass path, and using it is visible in the audit trail.
    const owner = await login(client, acme, acme.owner.email)
    owner.assertStatus(201)
    const audited = await acme.run(() => AuditEvent.query().orderBy('seq'))
    const breakGlass = audited.filter((event) => event.metadata.break_glass === true)
    assert.lengthOf(breakGlass, 1)
    assert.equal(breakGlass[0].actorId, String(acme.owner.id))
    const reasons = audited
      .filter((event) => event.action === 'auth.login_failed')
      .map((event) => event.metadata.reason)
    assert.deepEqual(reasons, ['sso_required', 'invalid_credentials'])
    assert.lengthOf(
      audited.filter((event) => event.action === 'workspace.sign_in_policy_changed'),
      1
    )

    await requireSso(client, acme, false)
    await expectStatus(login(client, acme, admin.email), 201)
  })

  test('the policy takes a boolean and nothing else; it stays as it was', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    for (const body of [{}, { require_sso: 'yes' }, { require_sso: true, extra: 1 }]) {
      const response = await client
        .put('/api/v1/sign-in-policy')
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
        .json(body)
      response.assertStatus(422)
    }
    const policy = await client
      .get('/api/v1/sign-in-policy')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.isFalse(policy.body().data.require_sso)
  })

  test('members still sign in through an identity plugin when SSO is required', async ({
    client,
  }) => {
    const acme = await createTenant('acme')
    await installPlugin(client, acme, 'accounts')
    await acme.member('member', 'ada@acme.test')
    await requireSso(client, acme, true)

    const signedIn = await client
      .post('/api/v1/plugins/accounts/sign-in')
      .header('host', acme.host)
      .json({ email: 'ada@acme.test', secret: 'open sesame' })

    signedIn.assertStatus(200)
  })

  test('the policy of one workspace does not apply to another', async ({ client }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const { user } = await globex.member('member', 'eve@globex.test')
    await requireSso(client, acme, true)

    await expectStatus(login(client, globex, user.email), 201)
  })

  test('the sign-in page learns the methods: password, and what enabled SSO plugins offer', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'sso', { settings: { saml_enabled: true } })

    const providers = await client.get('/api/v1/auth/providers').header('host', acme.host)

    providers.assertStatus(200)
    assert.deepEqual(providers.body().data, {
      password: { enabled: true, owners_only: false },
      providers: [
        {
          plugin: 'sso',
          id: 'saml',
          name: 'Single sign-on (SAML)',
          kind: 'redirect',
          url: `${tenantBaseUrl(acme.slug)}/auth/saml/login`,
        },
      ],
    })
    await requireSso(client, acme, true)
    const required = await client.get('/api/v1/auth/providers').header('host', acme.host)
    assert.deepEqual(required.body().data.password, { enabled: true, owners_only: true })

    const elsewhere = await client.get('/api/v1/auth/providers').header('host', globex.host)
    assert.deepEqual(elsewhere.body().data.providers, [])
  })

  test('a configured directory is offered as a credentials form', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await installPlugin(client, acme, 'ldap', {
      settings: { url: 'ldap://127.0.0.1:1', user_base_dn: 'ou=people,dc=acme,dc=test' },
    })

    const providers = await client.get('/api/v1/auth/providers').header('host', acme.host)

    assert.deepEqual(providers.body().data.providers, [
      {
        plugin: 'ldap',
        id: 'ldap',
        name: 'Directory account',
        kind: 'credentials',
        url: `${tenantBaseUrl(acme.slug)}/api/v1/plugins/ldap/login`,
      },
    ])
  })
})
