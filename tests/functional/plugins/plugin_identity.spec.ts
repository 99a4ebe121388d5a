import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { installPlugin } from '#tests/helpers/plugins'
import { as } from '#tests/helpers/work'
import { scimFor } from '#tests/helpers/scim'
import AuditEvent from '#audit/models/audit_event'
import User from '#identity/models/user'
import { tenantBaseUrl } from '#config/app'

const accounts = (client: ApiClient, tenant: TestTenant) => {
  const owner = as(client, tenant, tenant.ownerToken)
  return {
    provision: (input: object) => owner.post('/plugins/accounts/members', { ...input }),
    update: (id: number, change: object) =>
      owner.patch(`/plugins/accounts/members/${id}`, { ...change }),
    deactivate: (id: number) => owner.post(`/plugins/accounts/members/${id}/deactivate`),
    reactivate: (id: number) => owner.post(`/plugins/accounts/members/${id}/reactivate`),
    signIn: (email: string, secret: string) =>
      client
        .post('/api/v1/plugins/accounts/sign-in')
        .header('host', tenant.host)
        .json({ email, secret }),
  }
}

/** Workspace acme with the accounts plugin installed, and its routes. */
async function acmeWithAccounts(client: ApiClient) {
  const acme = await createTenant('acme')
  await installPlugin(client, acme, 'accounts')
  return { acme, api: accounts(client, acme) }
}

async function memberOf(tenant: TestTenant, id: number) {
  return tenant.run(() => User.findOrFail(id))
}

test.group('Plugin API: member accounts and sign-in', (group) => {
  group.each.setup(() => resetDatabase())

  test('a plugin provisions and updates members; each change is audited as the plugin', async ({
    client,
    assert,
  }) => {
    const { acme, api } = await acmeWithAccounts(client)

    const created = await api.provision({ email: 'Ada@Acme.Test', full_name: 'Ada', role: 'admin' })
    created.assertStatus(200)
    const ada = created.body().data
    assert.include(ada, {
      email: 'ada@acme.test',
      full_name: 'Ada',
      role: 'admin',
      status: 'active',
    })
    const stored = await memberOf(acme, ada.id)
    assert.isNull(stored.password)

    const duplicate = await api.provision({ email: 'ada@acme.test', full_name: 'Again' })
    duplicate.assertStatus(409)
    assert.equal(duplicate.body().errors[0].code, 'E_MEMBER_EXISTS')

    const updated = await api.update(ada.id, { full_name: 'Ada Lovelace', role: 'member' })
    assert.include(updated.body().data, { full_name: 'Ada Lovelace', role: 'member' })
    const toOwner = await api.update(ada.id, { role: 'owner' })
    toOwner.assertStatus(403)
    const ownerChange = await api.update(acme.owner.id, { role: 'member' })
    ownerChange.assertStatus(403)

    const audited = await acme.run(() =>
      AuditEvent.query().where('actor_type', 'plugin').orderBy('seq')
    )
    assert.deepEqual(
      audited.map((event) => [event.actorId, event.action]),
      [
        ['accounts', 'member.provisioned'],
        ['accounts', 'member.updated'],
        ['accounts', 'member.role_changed'],
      ]
    )
  })

  test('a plugin reactivates only the members it deactivated itself', async ({
    client,
    assert,
  }) => {
    const { acme, api } = await acmeWithAccounts(client)
    const scim = await scimFor(client, acme)
    const [byPlugin, byAdmin, byScim] = await Promise.all(
      ['mine', 'admins', 'scims'].map(async (name) => {
        const response = await api.provision({ email: `${name}@acme.test`, full_name: name })
        return response.body().data.id as number
      })
    )

    await api.deactivate(byPlugin)
    await as(client, acme, acme.ownerToken).post(`/members/${byAdmin}/deactivate`)
    await scim.patch(`/Users/${byScim}`, [{ op: 'replace', path: 'active', value: false }])
    const deactivated = await memberOf(acme, byPlugin)
    assert.equal(deactivated.deactivationSource, 'plugin:accounts')

    const results = []
    for (const id of [byPlugin, byAdmin, byScim]) {
      const response = await api.reactivate(id)
      response.assertStatus(200)
      const member = await memberOf(acme, id)
      results.push([response.body().data.reactivated, member.status])
    }
    assert.deepEqual(results, [
      [true, 'active'],
      [false, 'deactivated'],
      [false, 'deactivated'],
    ])
  })

  test('deactivating through the plugin revokes the member’s tokens at once', async ({
    client,
    assert,
  }) => {
    const { acme, api } = await acmeWithAccounts(client)
    const { user, token } = await acme.member('member')

    const response = await api.deactivate(user.id)

    response.assertStatus(200)
    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    me.assertStatus(401)
    // The last owner stays, whoever asks.
    const owner = await api.deactivate(acme.owner.id)
    owner.assertStatus(409)
    assert.equal(owner.body().errors[0].code, 'E_LAST_OWNER')
  })

  test('a plugin signs a member in with a normal access token; failures are audited and throttled', async ({
    client,
    assert,
  }) => {
    const { acme, api } = await acmeWithAccounts(client)
    const { user } = await acme.member('member', 'ada@acme.test')

    const signedIn = await api.signIn('ada@acme.test', 'open sesame')
    signedIn.assertStatus(200)
    const session = signedIn.body().data
    assert.equal(session.member.id, user.id)
    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(session.token)
    me.assertStatus(200)
    const login = await acme.run(() =>
      AuditEvent.query().where('action', 'auth.login').firstOrFail()
    )
    assert.include(login.metadata, { method: 'test', plugin: 'accounts' })

    const answers = []
    for (let attempt = 0; attempt < 4; attempt++) {
      answers.push(await api.signIn('ada@acme.test', 'wrong'))
    }
    assert.deepEqual(
      answers.map((answer) => answer.status()),
      [401, 401, 401, 429]
    )
    assert.match(answers[3].header('retry-after') ?? '', /^\d+$/)
    const failures = await acme.run(() =>
      AuditEvent.query().where('action', 'accounts.sign_in_failed')
    )
    assert.lengthOf(failures, 3)
    assert.equal(failures[0].metadata.reason, 'wrong_secret')
  })

  test('a deactivated member is not signed in; another workspace cannot use the plugin', async ({
    client,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'accounts')
    const { user } = await acme.member('member', 'ada@acme.test')
    await as(client, acme, acme.ownerToken).post(`/members/${user.id}/deactivate`)

    const refused = await accounts(client, acme).signIn('ada@acme.test', 'open sesame')
    refused.assertStatus(403)
    const elsewhere = await accounts(client, globex).signIn('ada@acme.test', 'open sesame')
    elsewhere.assertStatus(404)
  })

  test('without users:write and sessions:write the calls are refused', async ({ client }) => {
    const acme = await createTenant('acme')
    await installPlugin(client, acme, 'accounts', { permissions: ['users:read'] })
    const { user } = await acme.member('member', 'ada@acme.test')
    const api = accounts(client, acme)

    const provision = await api.provision({ email: 'x@acme.test', full_name: 'X' })
    provision.assertStatus(403)
    const signIn = await api.signIn('ada@acme.test', 'open sesame')
    signIn.assertStatus(403)
    const deactivate = await api.deactivate(user.id)
    deactivate.assertStatus(403)
  })

  test('a plugin route mounted at /auth takes a browser form POST on the workspace host', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'accounts')

    const response = await client
      .post('/auth/accounts/callback')
      .header('host', acme.host)
      .form({ state: 'a b&c' })
      .redirects(0)

    response.assertStatus(302)
    assert.equal(
      response.header('location'),
      `${tenantBaseUrl(acme.slug)}/signed-in?state=a%20b%26c`
    )
    const notInstalled = await client
      .post('/auth/accounts/callback')
      .header('host', globex.host)
      .form({ state: 'x' })
      .redirects(0)
    notInstalled.assertStatus(404)
  })
})
