import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { errorCode } from '#tests/helpers/http'
import { runAce, schemaExists, tenantRow, tenantStatus } from '#tests/helpers/cli'
import { eventually } from '#tests/helpers/wait'

/**
 * The server learns about CLI changes over LISTEN/NOTIFY, asynchronously:
 * give it a moment to see the expected status.
 */
async function hostAnswers(
  client: ApiClient,
  tenant: TestTenant,
  status: number,
  code?: string
): Promise<boolean> {
  return eventually(async () => {
    const response = await client
      .get('/api/v1/me')
      .header('host', tenant.host)
      .bearerToken(tenant.ownerToken)
    return response.status() === status && (code === undefined || errorCode(response) === code)
  })
}

test.group('CLI: tenant:suspend and tenant:resume', (group) => {
  group.each.setup(() => resetDatabase())

  test('suspending blocks the tenant host and resuming restores it', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    assert.isTrue(await hostAnswers(client, acme, 200))

    const suspend = await runAce(['tenant:suspend', 'acme'])
    assert.equal(suspend.exitCode, 0, suspend.output)
    assert.include(suspend.stdout, 'Tenant "acme" suspended')
    assert.equal(await tenantStatus('acme'), 'suspended')
    assert.isTrue(await hostAnswers(client, acme, 403, 'E_TENANT_SUSPENDED'))
    assert.isTrue(await hostAnswers(client, globex, 200))

    const resume = await runAce(['tenant:resume', 'acme'])
    assert.equal(resume.exitCode, 0, resume.output)
    assert.include(resume.stdout, 'Tenant "acme" resumed')
    assert.equal(await tenantStatus('acme'), 'active')
    assert.isTrue(await hostAnswers(client, acme, 200))

    const trail = await db
      .from(`${acme.schema}.audit_events`)
      .whereIn('action', ['tenant.suspended', 'tenant.resumed'])
      .orderBy('seq')
    assert.deepEqual(
      trail.map((event) => [event.action, event.actor_type]),
      [
        ['tenant.suspended', 'operator'],
        ['tenant.resumed', 'operator'],
      ]
    )
  })

  test('suspending an unknown tenant fails', async ({ assert }) => {
    const result = await runAce(['tenant:suspend', 'nope'])
    assert.equal(result.exitCode, 1, result.output)
    assert.include(result.stderr, 'No tenant named "nope"')
    assert.notInclude(result.stdout, 'suspended')
  })
})

test.group('CLI: tenant:drop', (group) => {
  group.each.setup(() => resetDatabase())

  test('refuses without --force and keeps the tenant', async ({ client, assert }) => {
    const acme = await createTenant('acme')

    const result = await runAce(['tenant:drop', 'acme'])
    assert.equal(result.exitCode, 1, result.output)
    assert.include(result.stderr, 'without --force')

    assert.equal(await tenantStatus('acme'), 'active')
    assert.isTrue(await schemaExists(acme.schema))
    assert.isTrue(await hostAnswers(client, acme, 200))
  })

  test('deletes the schema and the tenant with --force', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    assert.isTrue(await hostAnswers(client, acme, 200))

    const result = await runAce(['tenant:drop', 'acme', '--force'])
    assert.equal(result.exitCode, 0, result.output)
    assert.include(result.stdout, 'Tenant "acme" dropped')

    assert.isFalse(await schemaExists(acme.schema))
    assert.notExists(await tenantRow('acme'))
    assert.isTrue(await hostAnswers(client, acme, 404, 'E_TENANT_NOT_FOUND'))
    assert.isTrue(await schemaExists(globex.schema))
    assert.isTrue(await hostAnswers(client, globex, 200))
  })

  test('drops a tenant whose creation never finished', async ({ assert }) => {
    await db.table('central.tenants').insert({
      slug: 'halfdone',
      name: 'Half Done',
      schema_name: 'tenant_halfdone',
      status: 'provisioning',
    })
    await db.rawQuery('CREATE SCHEMA tenant_halfdone')

    const result = await runAce(['tenant:drop', 'halfdone', '--force'])
    assert.equal(result.exitCode, 0, result.output)
    assert.notExists(await tenantRow('halfdone'))
    assert.isFalse(await schemaExists('tenant_halfdone'))
  })
})
