import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { runAce } from '#tests/helpers/cli'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'

test.group('CLI: tenant:list', (group) => {
  group.each.setup(() => resetDatabase())

  async function twoTenants() {
    await createTenant('globex')
    await createTenant('acme')
    const provisioner = await app.container.make(TenantProvisioner)
    await provisioner.suspend('globex')
  }

  test('prints a table sorted by slug', async ({ assert }) => {
    await twoTenants()

    const result = await runAce(['tenant:list'])
    assert.equal(result.exitCode, 0, result.output)
    const rows = result.stdout.split('\n').filter((line) => /tenant_(acme|globex)/.test(line))
    assert.lengthOf(rows, 2, result.stdout)
    assert.match(rows[0], /\bacme\b.*\bactive\b.*\bdefault\b.*\btenant_acme\b/)
    assert.match(rows[1], /\bglobex\b.*\bsuspended\b.*\bdefault\b.*\btenant_globex\b/)
    assert.include(result.stdout, '2 tenant(s)')
  })

  test('prints JSON with --json', async ({ assert }) => {
    await twoTenants()

    const result = await runAce(['tenant:list', '--json'])
    assert.equal(result.exitCode, 0, result.output)
    const tenants = JSON.parse(result.stdout)
    assert.deepEqual(
      tenants.map((tenant: { slug: string; status: string; schema: string }) => [
        tenant.slug,
        tenant.status,
        tenant.schema,
      ]),
      [
        ['acme', 'active', 'tenant_acme'],
        ['globex', 'suspended', 'tenant_globex'],
      ]
    )
    assert.equal(tenants[0].name, 'acme Inc')
    assert.equal(tenants[0].region, 'default')
    assert.isFalse(Number.isNaN(Date.parse(tenants[0].created_at)))
  })
})
