import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { runAce } from '#tests/helpers/cli'
import { installPlugin } from '#tests/helpers/plugins'
import { as } from '#tests/helpers/work'

async function probeMigrations(schema: string) {
  const rows = await db
    .from(`${schema}.plugin_migrations`)
    .where('plugin_id', 'probe')
    .orderBy('name')
    .select('name')
  return rows.map((row) => row.name)
}

test.group('CLI: plugin commands', (group) => {
  group.each.setup(() => resetDatabase())

  test('plugin:install installs in one tenant, as an operator, with the grants given', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const result = await runAce([
      'plugin:install',
      'probe',
      '--tenant=acme',
      '--grant=tasks:read,users:read',
      '--settings={"greeting":"from ops"}',
    ])
    assert.equal(result.exitCode, 0, result.output)
    assert.include(
      result.stdout,
      'probe 1.0.0 installed in "acme" (enabled), granted: tasks:read, users:read'
    )

    const owner = as(client, acme, acme.ownerToken)
    const shown = await owner.get('/plugins/probe')
    assert.containsSubset(shown.body().data.installation, {
      granted_permissions: ['tasks:read', 'users:read'],
      settings: { greeting: 'from ops' },
      installed_by: null,
    })
    const audit = await owner.get('/audit-events', { action: 'plugin.installed' })
    assert.containsSubset(audit.body().data[0], { actor: { type: 'operator' } })

    const again = await runAce(['plugin:install', 'probe', '--tenant=acme'])
    assert.equal(again.exitCode, 1)
    assert.include(again.output, 'installed already')
    const unknownTenant = await runAce(['plugin:install', 'probe', '--tenant=globex'])
    assert.equal(unknownTenant.exitCode, 1)
    assert.include(unknownTenant.output, 'No tenant named "globex"')
    const invalid = await runAce(['plugin:install', 'slow', '--tenant=acme', '--grant=network'])
    assert.equal(invalid.exitCode, 1)
    assert.include(invalid.output, 'does not ask for "network"')
  })

  test('plugin:list shows the catalog and where each plugin is installed', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'probe')
    await installPlugin(client, globex, 'probe', { enabled: false })

    const all = await runAce(['plugin:list'])
    assert.equal(all.exitCode, 0, all.output)
    assert.match(all.stdout, /probe .*1\.0\.0 .*2 tenant\(s\), 1 enabled/)
    assert.match(all.stdout, /slow .*0 tenant\(s\), 0 enabled/)

    const one = await runAce(['plugin:list', '--tenant=globex'])
    assert.match(one.stdout, /probe .*1\.0\.0, disabled/)
    assert.match(one.stdout, /slow .*not installed/)
  })

  test('plugin:upgrade runs the new release’s migrations in every installing tenant', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const initech = await createTenant('initech')
    await installPlugin(client, acme, 'probe')
    await installPlugin(client, globex, 'probe', { enabled: false })

    const listed = await runAce(['plugin:list'], { PROBE_VERSION: '2' })
    assert.match(listed.stdout, /probe .*2\.0\.0 .*2 tenant\(s\), 1 enabled, 2 to upgrade/)

    const result = await runAce(['plugin:upgrade', 'probe'], { PROBE_VERSION: '2' })
    assert.equal(result.exitCode, 0, result.output)
    assert.include(result.stdout, 'acme 1.0.0 -> 2.0.0: 0002_create_labels')
    assert.include(result.stdout, 'globex 1.0.0 -> 2.0.0: 0002_create_labels')
    assert.include(result.stdout, '2 tenant(s), 0 failed')
    for (const tenant of [acme, globex]) {
      assert.deepEqual(await probeMigrations(tenant.schema), [
        '0001_create_notes',
        '0002_create_labels',
      ])
    }
    assert.deepEqual(await probeMigrations(initech.schema), [])
    const shown = await as(client, acme, acme.ownerToken).get('/plugins/probe')
    assert.equal(shown.body().data.installation.version, '2.0.0')

    const rerun = await runAce(['plugin:upgrade', 'probe', '--tenant=acme'], {
      PROBE_VERSION: '2',
    })
    assert.equal(rerun.exitCode, 0, rerun.output)
    assert.include(rerun.stdout, 'acme up-to-date (2.0.0)')
  })
})
