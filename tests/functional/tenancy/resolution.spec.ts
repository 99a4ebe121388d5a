import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

test.group('Tenant resolution', (group) => {
  group.each.setup(() => resetDatabase())

  test('a verified custom domain serves its tenant; an unverified one does not', async ({
    client,
  }) => {
    const acme = await createTenant('acme')
    await db.table('central.tenant_domains').multiInsert([
      { tenant_id: acme.id, domain: 'work.acme.example', verified_at: new Date() },
      { tenant_id: acme.id, domain: 'pending.acme.example', verified_at: null },
    ])
    const directory = await app.container.make(TenantDirectory)
    directory.invalidate()

    const verified = await client
      .get('/api/v1/me')
      .header('host', 'WORK.acme.example:8080')
      .bearerToken(acme.ownerToken)
    verified.assertStatus(200)

    const pending = await client
      .get('/api/v1/me')
      .header('host', 'pending.acme.example')
      .bearerToken(acme.ownerToken)
    pending.assertStatus(404)
  })

  test('nested subdomains of APP_DOMAIN are not tenants', async ({ client, assert }) => {
    await createTenant('acme')
    const response = await client.get('/api/v1/me').header('host', 'x.acme.localhost')
    response.assertStatus(404)
    assert.equal(errorCode(response), 'E_TENANT_NOT_FOUND')
  })

  test('a known host is answered from memory, without a database query', async ({ client }) => {
    const acme = await createTenant('acme')
    const warm = await client
      .get('/api/v1/me')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    warm.assertStatus(200)

    // With the tenants table out of reach, only the cache can answer.
    await db.rawQuery('ALTER TABLE central.tenants RENAME TO tenants_away')
    try {
      const response = await client
        .get('/api/v1/me')
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
      response.assertStatus(200)
    } finally {
      await db.rawQuery('ALTER TABLE central.tenants_away RENAME TO tenants')
    }
  })

  test('malformed JSON gets a 400 with a code and no stack trace', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const response = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .header('content-type', 'application/json')
      .form('{"email": ')
    assert.oneOf(response.status(), [400, 415, 422])
    assert.match(errorCode(response) ?? '', /^E_/)
    assert.notInclude(JSON.stringify(response.body()), 'node_modules')
  })
})

test.group('Unauthenticated entry points are rate-limited', (group) => {
  group.each.setup(() => resetDatabase())

  test('signup allows 10 attempts an hour per IP', async ({ client, assert }) => {
    const statuses: number[] = []
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await client
        .post('/api/v1/organizations')
        .header('host', 'localhost')
        .json({ slug: 'www', name: 'x', admin: {} })
      statuses.push(response.status())
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422))
    assert.equal(statuses[10], 429)
  })
})
