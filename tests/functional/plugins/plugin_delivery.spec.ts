import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { as, createProject, createTask } from '#tests/helpers/work'
import { createChannel, postMessage } from '#tests/helpers/messaging'
import { eventually } from '#tests/helpers/wait'
import { installPlugin, runPluginsDuringEachTest, settlePluginWork } from '#tests/helpers/plugins'
import { connectSocket, recordEvents, closeAll } from '#tests/helpers/realtime'
import type { ApiClient } from '@japa/api-client'
import { PluginJobs } from '#plugins/services/plugin_jobs'

interface Note {
  kind: string
  ref: string
  data: Record<string, any>
}

async function notesOf(client: ApiClient, tenant: TestTenant): Promise<Note[]> {
  const response = await as(client, tenant, tenant.ownerToken).get('/plugins/probe/notes')
  response.assertStatus(200)
  return response.body().data
}

async function notesOfKind(client: ApiClient, tenant: TestTenant, kind: string) {
  const notes = await notesOf(client, tenant)
  return notes.filter((note) => note.kind === kind)
}

async function hasNotes(client: ApiClient, tenant: TestTenant, kind: string) {
  const notes = await notesOfKind(client, tenant, kind)
  return notes.length > 0
}

function eventTypes(notes: Note[]) {
  return notes.filter((note) => note.kind === 'event').map((note) => note.data.type)
}

async function pluginState(client: ApiClient, tenant: TestTenant, id: string) {
  const response = await as(client, tenant, tenant.ownerToken).get(`/plugins/${id}`)
  return response.body().data.installation
}

async function isEnabled(client: ApiClient, tenant: TestTenant, id: string) {
  const installation = await pluginState(client, tenant, id)
  return installation.enabled as boolean
}

test.group('Plugins: event delivery', (group) => {
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())

  test('a plugin receives the events of the tenants where it is enabled, from its install on', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const acmeApi = as(client, acme, acme.ownerToken)
    const before = await createProject(acmeApi, { key: 'OLD' })

    await installPlugin(client, acme, 'probe')
    await installPlugin(client, globex, 'probe', { enabled: false })
    const project = await createProject(acmeApi)
    const task = await createTask(acmeApi, project.id, { title: 'Seen by the probe' })
    const globexApi = as(client, globex, globex.ownerToken)
    const globexProject = await createProject(globexApi)
    await createTask(globexApi, globexProject.id)

    assert.isTrue(
      await eventually(
        async () => eventTypes(await notesOf(client, acme)).includes('task.created'),
        5_000
      )
    )
    const notes = await notesOf(client, acme)
    const created = notes.find((note) => note.data.type === 'task.created')!
    assert.containsSubset(created.data, {
      actor_id: acme.owner.id,
      data: { task_id: task.id, project_id: project.id, title: 'Seen by the probe' },
    })
    // project.* needs projects:read and the probe does not subscribe to it;
    // what happened before the install is not replayed.
    assert.notInclude(JSON.stringify(notes), String(before.id) + ',"key":"OLD"')
    assert.deepEqual(eventTypes(notes), ['task.created'])

    await as(client, globex, globex.ownerToken)
      .post('/plugins/probe/enable')
      .then((response) => response.assertStatus(200))
    assert.deepEqual(await notesOf(client, globex), [])
  })

  test('events of a domain the admin did not grant are not delivered', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['tasks:read'] })
    const channel = await createChannel(api)
    await postMessage(api, channel.id, 'Not for the probe')
    const project = await createProject(api)
    await createTask(api, project.id)

    assert.isTrue(
      await eventually(async () => eventTypes(await notesOf(client, acme)).length > 0, 5_000)
    )
    assert.deepEqual(eventTypes(await notesOf(client, acme)), ['task.created'])

    // With messages:read granted, the same plugin gets them.
    const globex = await createTenant('globex')
    const globexApi = as(client, globex, globex.ownerToken)
    await installPlugin(client, globex, 'probe', { permissions: ['tasks:read', 'messages:read'] })
    const other = await createChannel(globexApi)
    await postMessage(globexApi, other.id, 'For the probe')
    assert.isTrue(
      await eventually(
        async () => eventTypes(await notesOf(client, globex)).includes('message.posted'),
        5_000
      )
    )
  })

  test('a failing plugin is retried, then turned off for that tenant; admins are told; requests never fail', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'failing')
    await installPlugin(client, acme, 'probe')
    const socket = await connectSocket({ host: acme.host, token: acme.ownerToken })
    const notices = recordEvents(socket, 'plugin.auto_disabled')

    const project = await createProject(api)
    for (const title of ['One', 'Two']) {
      await createTask(api, project.id, { title })
    }

    // PLUGIN_MAX_FAILURES=3 in .env.test; retries back off, and a loaded CI machine is slow.
    assert.isTrue(await eventually(async () => !(await isEnabled(client, acme, 'failing')), 20_000))
    const state = await pluginState(client, acme, 'failing')
    assert.containsSubset(state, {
      disabled_reason: 'failures',
      consecutive_failures: 3,
      last_error: 'failing on purpose',
    })
    await settlePluginWork()
    const { metrics } = await pluginState(client, acme, 'failing')
    assert.equal(metrics.failed, 3)
    assert.equal(metrics.delivered, 0)

    const [notice] = await notices.until((list) => list.length > 0, 5_000)
    assert.containsSubset(notice, {
      type: 'plugin.auto_disabled',
      data: { plugin_id: 'failing', consecutive_failures: 3 },
    })
    const audit = await api.get('/audit-events', { action: 'plugin.auto_disabled' })
    assert.containsSubset(audit.body().data[0], { actor: { type: 'system' } })

    // The other plugin of the tenant got both tasks meanwhile.
    assert.isTrue(
      await eventually(async () => eventTypes(await notesOf(client, acme)).length === 2, 5_000)
    )
    // Enabling again resets the count and starts from the latest event.
    const enabled = await api.post('/plugins/failing/enable')
    assert.containsSubset(enabled.body().data.installation, {
      enabled: true,
      disabled_reason: null,
      consecutive_failures: 0,
    })
    closeAll(socket)
  })

  test('a plugin slower than its time limit is cut off and counted as timed out', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'slow')
    const project = await createProject(api)
    const started = Date.now()
    await createTask(api, project.id)
    assert.isBelow(Date.now() - started, 1_000, 'the request does not wait for plugins')

    assert.isTrue(await eventually(async () => !(await isEnabled(client, acme, 'slow')), 8_000))
    await settlePluginWork()
    const state = await pluginState(client, acme, 'slow')
    assert.match(state.last_error, /did not finish within 100 ms/)
    assert.equal(state.metrics.timed_out, 3)
  })

  test('a delivery that succeeds resets the failure count and is measured', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe')
    const project = await createProject(api)
    await createTask(api, project.id)
    await createTask(api, project.id)
    assert.isTrue(
      await eventually(async () => eventTypes(await notesOf(client, acme)).length === 2, 5_000)
    )
    await settlePluginWork()
    const { metrics } = await pluginState(client, acme, 'probe')
    assert.equal(metrics.delivered, 2)
    assert.equal(metrics.failed, 0)
    assert.isNumber(metrics.latency_ms_avg)
  })
})

test.group('Plugins: jobs and schedules', (group) => {
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())

  test('a plugin queues a job that runs later for its tenant', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await installPlugin(client, acme, 'probe')
    const queued = await as(client, acme, acme.ownerToken).post('/plugins/probe/jobs', {
      ref: 'job-1',
    })
    queued.assertStatus(202)
    assert.deepEqual(queued.body(), { data: { queued: 'job-1' } })
    assert.isTrue(await eventually(async () => hasNotes(client, acme, 'job'), 5_000))
    const [note] = await notesOfKind(client, acme, 'job')
    assert.equal(note.ref, 'job-1')
    assert.deepEqual(note.data, { ref: 'job-1', tenant: 'acme' })
  })

  test('a schedule runs once for each tenant where the plugin is enabled', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const initech = await createTenant('initech')
    await installPlugin(client, acme, 'probe')
    await installPlugin(client, globex, 'probe')
    await installPlugin(client, initech, 'probe', { enabled: false })

    const jobs = await app.container.make(PluginJobs)
    await jobs.runSchedule('probe', 'remember')

    for (const tenant of [acme, globex]) {
      assert.isTrue(await eventually(async () => hasNotes(client, tenant, 'job'), 5_000))
      const jobNotes = await notesOfKind(client, tenant, 'job')
      assert.lengthOf(jobNotes, 1)
      assert.equal(jobNotes[0].data.tenant, tenant.slug)
    }
    await as(client, initech, initech.ownerToken)
      .post('/plugins/probe/enable')
      .then((response) => response.assertStatus(200))
    assert.deepEqual(await notesOf(client, initech), [])
  })
})
