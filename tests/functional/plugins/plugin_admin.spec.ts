import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { as } from '#tests/helpers/work'
import { installPlugin } from '#tests/helpers/plugins'

async function tablesOf(tenant: TestTenant, prefix: string) {
  const { rows } = await db.rawQuery(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = ? AND table_name LIKE ? ORDER BY table_name`,
    [tenant.schema, `${prefix}%`]
  )
  return rows.map((row: { table_name: string }) => row.table_name)
}

function probeOf(list: { id: string }[]) {
  return list.find((plugin) => plugin.id === 'probe') as Record<string, any>
}

test.group('Plugins: catalog and installation', (group) => {
  group.each.setup(() => resetDatabase())

  test('the catalog lists every discovered plugin with its install state', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const response = await owner.get('/plugins')
    response.assertStatus(200)
    const ids = response.body().data.map((plugin: { id: string }) => plugin.id)
    assert.includeMembers(ids, ['probe', 'failing', 'slow'])
    assert.containsSubset(probeOf(response.body().data), {
      name: 'Probe',
      version: '1.0.0',
      secret_settings: ['api_token'],
      installation: null,
    })
  })

  test('an admin installs a plugin for their workspace only: migrations run in its schema', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const { user: admin, token } = await acme.member('admin')

    const response = await as(client, acme, token).post('/plugins/probe/install', {
      permissions: ['tasks:read', 'users:read'],
      settings: { greeting: 'hello', api_token: 'very-secret-token' },
    })
    response.assertStatus(201)
    assert.containsSubset(response.body().data.installation, {
      version: '1.0.0',
      enabled: true,
      granted_permissions: ['tasks:read', 'users:read'],
      installed_by: admin.id,
      settings: { greeting: 'hello', api_token: '********' },
      disabled_reason: null,
    })
    assert.notInclude(JSON.stringify(response.body()), 'very-secret-token')

    assert.deepEqual(await tablesOf(acme, 'probe_'), ['probe_notes'])
    assert.deepEqual(await tablesOf(globex, 'probe_'), [])
    const stored = await db.from(`${acme.schema}.plugin_installations`).first()
    assert.notInclude(stored.settings, 'very-secret-token')

    // Its install callback ran, with the tenant bound.
    const installed = await db
      .from(`${acme.schema}.plugin_store`)
      .where({ plugin_id: 'probe', key: 'installed' })
      .first()
    assert.deepEqual(installed.value, { by: 'lifecycle' })

    const audit = await as(client, acme, acme.ownerToken).get('/audit-events', {
      action: 'plugin.installed',
    })
    assert.lengthOf(audit.body().data, 1)

    const elsewhere = await as(client, globex, globex.ownerToken).get('/plugins/probe')
    assert.isNull(elsewhere.body().data.installation)
  })

  test('members see what is installed, not its settings or health', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await installPlugin(client, acme, 'probe', { settings: { greeting: 'hi' } })
    const { token } = await acme.member('member')
    const response = await as(client, acme, token).get('/plugins')
    const installation = probeOf(response.body().data).installation
    assert.isTrue(installation.enabled)
    assert.notProperty(installation, 'settings')
    assert.notProperty(installation, 'metrics')
  })

  test('bad installs change nothing and say why', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)

    const unknown = await owner.post('/plugins/nope/install', {})
    unknown.assertStatus(404)
    assert.equal(errorCode(unknown), 'E_PLUGIN_NOT_FOUND')
    const unknownShown = await owner.get('/plugins/nope')
    unknownShown.assertStatus(404)
    assert.equal(errorCode(unknownShown), 'E_PLUGIN_NOT_FOUND')
    const unknownField = await owner.post('/plugins/probe/install', { grant: ['tasks:read'] })
    unknownField.assertStatus(422)

    const notRequested = await owner.post('/plugins/failing/install', {
      permissions: ['tasks:read', 'tasks:write'],
    })
    notRequested.assertStatus(422)
    assert.equal(notRequested.body().errors[0].field, 'permissions')

    const unknownPermission = await owner.post('/plugins/probe/install', {
      permissions: ['root'],
    })
    unknownPermission.assertStatus(422)

    const badSettings = await owner.post('/plugins/probe/install', {
      settings: { threshold: 99, api_token: 'short' },
    })
    badSettings.assertStatus(422)
    assert.sameMembers(
      badSettings.body().errors.map((error: { field: string }) => error.field),
      ['threshold', 'api_token']
    )
    assert.deepEqual(await tablesOf(acme, 'probe_'), [])
    const catalog = await owner.get('/plugins')
    assert.isNull(probeOf(catalog.body().data).installation)

    await installPlugin(client, acme, 'probe')
    const twice = await owner.post('/plugins/probe/install', {})
    twice.assertStatus(409)
    assert.equal(errorCode(twice), 'E_PLUGIN_INSTALLED')
  })

  test('settings are validated as a whole; secrets are write-only', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { settings: { api_token: 'first-secret' } })

    // Sending the mask back (as a form would) keeps the secret.
    const kept = await owner.patch('/plugins/probe/settings', {
      api_token: '********',
      greeting: 'hey',
    })
    kept.assertStatus(200)
    assert.deepEqual(kept.body().data.installation.settings, {
      greeting: 'hey',
      api_token: '********',
    })

    const invalid = await owner.patch('/plugins/probe/settings', { threshold: 0 })
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'threshold')

    const cleared = await owner.patch('/plugins/probe/settings', { api_token: null })
    assert.deepEqual(cleared.body().data.installation.settings, {
      greeting: 'hey',
      api_token: null,
    })

    // The plugin sees the decrypted values.
    await owner.patch('/plugins/probe/settings', { api_token: 'second-secret' })
    const whoami = await owner.get('/plugins/probe/whoami')
    assert.equal(whoami.body().data.greeting, 'hey')

    const audit = await owner.get('/audit-events', { action: 'plugin.settings_changed' })
    assert.lengthOf(audit.body().data, 3)
    assert.notInclude(JSON.stringify(audit.body()), 'second-secret')
  })

  test('a disabled plugin serves nothing; enabling it brings its routes back', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe')
    await owner.get('/plugins/probe/whoami').then((response) => response.assertStatus(200))

    const disabled = await owner.post('/plugins/probe/disable')
    assert.containsSubset(disabled.body().data.installation, {
      enabled: false,
      disabled_reason: 'admin',
    })
    const refused = await owner.get('/plugins/probe/whoami')
    refused.assertStatus(404)
    assert.equal(errorCode(refused), 'E_PLUGIN_NOT_INSTALLED')
    await client
      .get('/api/v1/plugins/probe/ping')
      .header('host', acme.host)
      .then((response) => response.assertStatus(404))

    await owner.post('/plugins/probe/enable').then((response) => response.assertStatus(200))
    await owner.get('/plugins/probe/whoami').then((response) => response.assertStatus(200))
  })

  test('uninstall keeps the plugin data unless asked to purge it', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe')
    await owner.put('/plugins/probe/store/color', { value: 'teal' })
    const badPurge = await owner.delete('/plugins/probe?purge=sometimes')
    badPurge.assertStatus(422)
    assert.equal(badPurge.body().errors[0].field, 'purge')

    await owner.delete('/plugins/probe').then((response) => response.assertStatus(204))
    await owner.get('/plugins/probe/whoami').then((response) => response.assertStatus(404))
    assert.deepEqual(await tablesOf(acme, 'probe_'), ['probe_notes'])

    // A reinstall finds its data again; its migrations do not run twice.
    await installPlugin(client, acme, 'probe')
    const color = await db
      .from(`${acme.schema}.plugin_store`)
      .where({ plugin_id: 'probe', key: 'color' })
      .first()
    assert.deepEqual(color.value, { value: 'teal' })

    await owner.delete('/plugins/probe?purge=true').then((response) => response.assertStatus(204))
    assert.deepEqual(await tablesOf(acme, 'probe_'), [])
    const left = await db.from(`${acme.schema}.plugin_store`).where('plugin_id', 'probe')
    assert.lengthOf(left, 0)
    const missing = await owner.delete('/plugins/probe')
    missing.assertStatus(404)
    assert.equal(errorCode(missing), 'E_PLUGIN_NOT_INSTALLED')

    const audit = await owner.get('/audit-events', { action: 'plugin.uninstalled' })
    assert.lengthOf(audit.body().data, 2)
  })

  test('another workspace cannot see or use an installation', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'probe')
    const outsider = as(client, globex, globex.ownerToken)

    const route = await outsider.get('/plugins/probe/whoami')
    route.assertStatus(404)
    assert.equal(errorCode(route), 'E_PLUGIN_NOT_INSTALLED')
    await outsider.post('/plugins/probe/disable').then((response) => response.assertStatus(404))
    await outsider
      .delete('/plugins/probe?purge=true')
      .then((response) => response.assertStatus(404))

    // acme's token on globex's host is no token at all.
    const crossHost = await client
      .post('/api/v1/plugins/probe/disable')
      .header('host', globex.host)
      .bearerToken(acme.ownerToken)
    crossHost.assertStatus(401)
    const still = await as(client, acme, acme.ownerToken).get('/plugins/probe/whoami')
    still.assertStatus(200)
  })
})
