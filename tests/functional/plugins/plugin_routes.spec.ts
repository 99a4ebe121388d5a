import { test } from '@japa/runner'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { as, createProject, createTask } from '#tests/helpers/work'
import { installPlugin } from '#tests/helpers/plugins'

test.group('Plugins: routes and the scoped API', (group) => {
  group.each.setup(() => resetDatabase())

  test('routes see the caller and the tenant; public routes need no token', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    await installPlugin(client, acme, 'probe', { permissions: ['tasks:read', 'network'] })

    const whoami = await as(client, acme, token).get('/plugins/probe/whoami')
    whoami.assertStatus(200)
    assert.deepEqual(whoami.body().data, {
      member_id: user.id,
      tenant: 'acme',
      greeting: null,
      permissions: ['network', 'tasks:read'],
    })
    await client
      .get('/api/v1/plugins/probe/whoami')
      .header('host', acme.host)
      .then((response) => response.assertStatus(401))

    const ping = await client.get('/api/v1/plugins/probe/ping').header('host', acme.host)
    ping.assertStatus(200)
    assert.equal(ping.header('content-type'), 'text/plain; charset=utf-8')
    assert.equal(ping.text(), 'pong from acme')

    const adminOnly = await as(client, acme, token).get('/plugins/probe/admin-only')
    adminOnly.assertStatus(403)
    await as(client, acme, acme.ownerToken)
      .get('/plugins/probe/admin-only')
      .then((response) => response.assertStatus(200))
  })

  test('plugin errors reach the caller as errors; crashes say nothing of the inside', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe')

    const refused = await owner.post('/plugins/probe/jobs', {})
    refused.assertStatus(422)
    assert.deepEqual(refused.body().errors, [
      { code: 'E_VALIDATION_ERROR', message: 'ref is required', field: 'ref' },
    ])

    const invalid = await owner.post('/plugins/probe/tasks/1/due', { due_date: 'tomorrow' })
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'due_date')

    const crash = await owner.get('/plugins/probe/crash')
    crash.assertStatus(502)
    assert.equal(errorCode(crash), 'E_PLUGIN_FAILED')
    assert.notInclude(crash.text(), 'on purpose')
    const state = await owner.get('/plugins/probe')
    assert.equal(state.body().data.installation.consecutive_failures, 1)
    assert.equal(state.body().data.installation.last_error, 'the probe crashed on purpose')
  })

  test('the scoped API refuses what the admin did not grant', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['users:read'] })

    const denied = await owner.get('/plugins/probe/all-tasks')
    denied.assertStatus(403)
    assert.equal(errorCode(denied), 'E_PLUGIN_PERMISSION')

    const project = await createProject(owner)
    const task = await createTask(owner, project.id)
    const write = await owner.post(`/plugins/probe/tasks/${task.id}/due`, {
      due_date: '2026-12-24',
    })
    write.assertStatus(403)
    assert.equal(errorCode(write), 'E_PLUGIN_PERMISSION')
    const unchanged = await owner.get(`/tasks/${task.id}`)
    assert.isNull(unchanged.body().data.due_date)
  })

  test('acting for a member, the API sees and changes only what that member may', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['tasks:read', 'tasks:write'] })
    const guest = await acme.member('guest')
    const member = await acme.member('member')

    const shared = await createProject(owner, { key: 'SHR' })
    const hidden = await createProject(owner, { key: 'HID' })
    const sharedTask = await createTask(owner, shared.id)
    const hiddenTask = await createTask(owner, hidden.id)
    const added = await owner.post(`/projects/${shared.id}/members`, {
      user_id: guest.user.id,
      role: 'member',
    })
    added.assertStatus(201)

    const all = await owner.get('/plugins/probe/all-tasks')
    assert.sameMembers(all.body().data, [sharedTask.id, hiddenTask.id])
    const guestView = await as(client, acme, guest.token).get('/plugins/probe/tasks')
    assert.deepEqual(guestView.body().data, [sharedTask.id])

    // A full member reads every project but only contributes where added.
    const viewer = await as(client, acme, member.token).post(
      `/plugins/probe/tasks/${sharedTask.id}/due`,
      { due_date: '2026-12-24' }
    )
    viewer.assertStatus(403)
    assert.equal(errorCode(viewer), 'E_FORBIDDEN')

    const invisible = await as(client, acme, guest.token).post(
      `/plugins/probe/tasks/${hiddenTask.id}/due`,
      { due_date: '2026-12-24' }
    )
    invisible.assertStatus(404)

    const changed = await as(client, acme, guest.token).post(
      `/plugins/probe/tasks/${sharedTask.id}/due`,
      { due_date: '2026-12-24' }
    )
    changed.assertStatus(200)
    assert.deepEqual(changed.body().data, {
      due_date: '2026-12-24',
      version: sharedTask.version + 1,
    })
    const task = await owner.get(`/tasks/${sharedTask.id}`)
    assert.equal(task.body().data.due_date, '2026-12-24')
  })

  test('a plugin store is per tenant', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await installPlugin(client, acme, 'probe')
    await installPlugin(client, globex, 'probe')
    const set = await as(client, acme, acme.ownerToken).put('/plugins/probe/store/color', {
      value: 'teal',
    })
    assert.deepEqual(set.body().data, { value: 'teal' })
    const other = await as(client, globex, globex.ownerToken).put('/plugins/probe/store/size', {
      value: 'xl',
    })
    assert.deepEqual(other.body().data, { value: 'xl' })
    const keys = await globex.run(async () => {
      const { pluginStore } = await import('#plugins/context/plugin_store')
      return pluginStore('probe').keys()
    })
    assert.deepEqual(keys, ['installed', 'size'])
  })
})
