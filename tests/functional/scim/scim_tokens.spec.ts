import { test } from '@japa/runner'
import { expectStatus } from '#tests/helpers/http'
import db from '@adonisjs/lucid/services/db'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { createScimToken, oktaUser, SCIM_ERROR, scimApi } from '#tests/helpers/scim'
import AuditEvent from '#audit/models/audit_event'

test.group('SCIM tokens', (group) => {
  group.each.setup(() => resetDatabase())

  test('an admin creates a token, shown once and stored only as a hash', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const created = await createScimToken(client, acme, 'Entra ID')

    assert.match(created.token, /^tdmscim_\d+_[A-Za-z0-9_-]{43}$/)
    const rows = await db.from(`${acme.schema}.scim_tokens`)
    assert.lengthOf(rows, 1)
    assert.notInclude(JSON.stringify(rows), created.token.split('_').pop()!)

    const listed = await client
      .get('/api/v1/scim/tokens')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    listed.assertStatus(200)
    assert.deepEqual(
      listed.body().data.map((token: Record<string, unknown>) => [token.name, 'token' in token]),
      [['Entra ID', false]]
    )

    const audited = await acme.run(() => AuditEvent.query().where('action', 'scim.token_created'))
    assert.lengthOf(audited, 1)
    assert.equal(audited[0].actorId, String(acme.owner.id))
  })

  test('a revoked token is refused at once; revoking is audited', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const created = await createScimToken(client, acme)
    const scim = scimApi(client, acme.host, created.token)
    await expectStatus(scim.get('/Users'), 200)

    const revoked = await client
      .delete(`/api/v1/scim/tokens/${created.id}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    revoked.assertStatus(204)

    const refused = await scim.get('/Users')
    refused.assertStatus(401)
    assert.equal(refused.body().schemas[0], SCIM_ERROR)
    assert.equal(refused.header('www-authenticate'), 'Bearer realm="scim"')
    const audited = await acme.run(() => AuditEvent.query().where('action', 'scim.token_revoked'))
    assert.lengthOf(audited, 1)
  })

  test('requests without a token, with a user access token or a malformed one are 401', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    for (const token of [undefined, acme.ownerToken, 'tdmscim_1_short', 'Bearer']) {
      const request = client.get('/scim/v2/Users').header('host', acme.host)
      const response = await (token ? request.bearerToken(token) : request)
      response.assertStatus(401)
      assert.equal(response.body().status, '401')
    }
  })

  test("a token works only on its own workspace's host", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const acmeToken = await createScimToken(client, acme)
    const globexToken = await createScimToken(client, globex)
    // Both tokens have id 1 in their own schema: the secret decides.
    assert.equal(acmeToken.id, globexToken.id)

    const acmeUser = await scimApi(client, acme.host, acmeToken.token).post(
      '/Users',
      oktaUser('ada@acme.test')
    )
    acmeUser.assertStatus(201)

    const crossed = scimApi(client, globex.host, acmeToken.token)
    await expectStatus(crossed.get('/Users'), 401)
    await expectStatus(crossed.post('/Users', oktaUser('eve@globex.test')), 401)

    const globexScim = scimApi(client, globex.host, globexToken.token)
    await expectStatus(globexScim.get(`/Users/${acmeUser.body().id}`), 404)
    const listed = await globexScim.get('/Users')
    assert.deepEqual(
      listed.body().Resources.map((user: { userName: string }) => user.userName),
      ['owner@globex.test']
    )
  })

  test('repeated bad tokens from one address are throttled with 429', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const statuses: number[] = []
    for (let attempt = 0; attempt < 31; attempt++) {
      const response = await client
        .get('/scim/v2/Users')
        .header('host', acme.host)
        .bearerToken(`tdmscim_1_${'x'.repeat(43)}`)
      statuses.push(response.status())
    }
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401))
    assert.equal(statuses[30], 429)
  })

  test('an expired token is refused', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const created = await createScimToken(client, acme)
    await db
      .from(`${acme.schema}.scim_tokens`)
      .where('id', created.id)
      .update({ expires_at: new Date(Date.now() - 1000) })

    const response = await scimApi(client, acme.host, created.token).get('/Users')
    response.assertStatus(401)
    assert.equal(response.body().status, '401')
  })

  test('a token needs a name and a sensible expiry; unknown fields are refused', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    for (const body of [
      {},
      { name: '' },
      { name: 'x', expires_in_days: 0 },
      { name: 'x', scope: 'all' },
    ]) {
      const response = await client
        .post('/api/v1/scim/tokens')
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
        .json(body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].code, 'E_VALIDATION_ERROR')
    }
    const rows = await db.from(`${acme.schema}.scim_tokens`)
    assert.lengthOf(rows, 0)
  })

  test("revoking an unknown id is 404; another workspace's admin cannot revoke a token", async ({
    client,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const created = await createScimToken(client, acme)
    const revoke = (tenant: typeof acme, id: number) =>
      client
        .delete(`/api/v1/scim/tokens/${id}`)
        .header('host', tenant.host)
        .bearerToken(tenant.ownerToken)

    await expectStatus(revoke(acme, 999), 404)
    // Ids are per workspace: the same id on globex names nothing there.
    await expectStatus(revoke(globex, created.id), 404)
    await expectStatus(scimApi(client, acme.host, created.token).get('/Users'), 200)
  })

  test('a body that is not JSON is answered in the SCIM error form', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const created = await createScimToken(client, acme)

    const pending = client
      .post('/scim/v2/Users')
      .header('host', acme.host)
      .header('content-type', 'application/scim+json')
      .bearerToken(created.token)
    // A truncated body, as sent (the client would otherwise serialise it).
    pending.request.send('{"userName": ')
    const response = await pending

    response.assertStatus(400)
    assert.equal(response.body().schemas[0], SCIM_ERROR)
    assert.equal(response.body().scimType, 'invalidSyntax')
  })
})
