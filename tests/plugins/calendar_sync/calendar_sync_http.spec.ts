/* eslint-disable @unicorn/no-await-expression-member -- these specs read an awaited response inline, one request per line */
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { PluginJobs } from '#plugins/services/plugin_jobs'
import type { ApiClient } from '@japa/api-client'
import ICAL from 'ical.js'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { installPlugin, runPluginsDuringEachTest } from '#tests/helpers/plugins'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { eventually } from '#tests/helpers/wait'
import { as, createProject, createTask } from '#tests/helpers/work'
import { phoneClient } from './phone.js'
import { needsRadicale, type RadicaleServer, startRadicale } from './radicale.js'

const PLUGIN = '/plugins/calendar_sync'
const SYNC_TIMEOUT_MS = 15_000
let users = 0

/**
 * Workspace acme with calendar_sync installed, project WEB (Ada is a
 * member) and OPS (she is not), and requests as the owner and as Ada.
 */
async function acmeWithAda(client: ApiClient) {
  const acme = await createTenant('acme')
  await installPlugin(client, acme, 'calendar_sync')
  const owner = as(client, acme, acme.ownerToken)
  const { user: ada, token } = await acme.member('member', 'ada@acme.test')
  const web = await createProject(owner, { end_date: '2026-12-18' })
  const ops = await createProject(owner, { name: 'Ops', key: 'OPS', end_date: '2026-12-19' })
  await owner
    .post(`/projects/${web.id}/members`, { user_id: ada.id, role: 'member' })
    .then((response) => response.assertStatus(201))
  return { acme, owner, ada, adaApi: as(client, acme, token), web, ops }
}

/** GET of a feed URL as a calendar app does: no token, the URL's own host. */
function fetchFeed(client: ApiClient, tenant: TestTenant, feedUrl: string) {
  return client.get(new URL(feedUrl).pathname).header('host', tenant.host)
}

test.group('calendar_sync over HTTP: the feed', (group) => {
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())

  test('a member sees their due tasks and the milestones of the projects they can see', async ({
    client,
    assert,
  }) => {
    const { acme, owner, ada, adaApi, web, ops } = await acmeWithAda(client)
    const mine = await createTask(owner, web.id, {
      title: 'Launch, page; v2',
      assignee_ids: [ada.id],
      due_date: '2026-12-04',
    })
    await createTask(owner, web.id, { title: 'No due date', assignee_ids: [ada.id] })
    await createTask(owner, web.id, { title: 'Not mine', due_date: '2026-12-05' })

    const created = await adaApi.post(`${PLUGIN}/feed`)
    created.assertStatus(200)
    const response = await fetchFeed(client, acme, created.body().data.url)

    response.assertStatus(200)
    assert.equal(response.header('content-type'), 'text/calendar; charset=utf-8')
    const events = new ICAL.Component(ICAL.parse(response.text())).getAllSubcomponents('vevent')
    assert.deepEqual(
      events.map((event) => [
        event.getFirstPropertyValue('uid'),
        event.getFirstPropertyValue('summary'),
      ]),
      [
        [`task-${mine.id}@acme.tandem`, `${mine.key}: Launch, page; v2`],
        [`project-${web.id}-end@acme.tandem`, 'WEB ends: Website'],
        [`project-${ops.id}-end@acme.tandem`, 'OPS ends: Ops'],
      ]
    )
  })

  test('a guest’s feed leaves out the projects they do not belong to', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await acmeWithAda(client)
    const guest = await acme.member('guest')
    await owner
      .post(`/projects/${web.id}/members`, { user_id: guest.user.id, role: 'member' })
      .then((response) => response.assertStatus(201))
    const guestApi = as(client, acme, guest.token)

    const url = (await guestApi.post(`${PLUGIN}/feed`)).body().data.url
    const response = await fetchFeed(client, acme, url)

    const uids = new ICAL.Component(ICAL.parse(response.text()))
      .getAllSubcomponents('vevent')
      .map((event) => event.getFirstPropertyValue('uid'))
    assert.deepEqual(uids, [`project-${web.id}-end@acme.tandem`])
  })

  test('a rotated or revoked URL, or one used on another workspace, is not found', async ({
    client,
    assert,
  }) => {
    const { acme, adaApi } = await acmeWithAda(client)
    const globex = await createTenant('globex')
    await installPlugin(client, globex, 'calendar_sync')
    const first = (await adaApi.post(`${PLUGIN}/feed`)).body().data.url
    const second = (await adaApi.post(`${PLUGIN}/feed`)).body().data.url

    const rotated = await fetchFeed(client, acme, first)
    const elsewhere = await fetchFeed(client, globex, second)
    const current = await fetchFeed(client, acme, second)
    ;(await adaApi.delete(`${PLUGIN}/feed`)).assertStatus(204)
    const revoked = await fetchFeed(client, acme, second)

    assert.deepEqual(
      [rotated.status(), elsewhere.status(), current.status(), revoked.status()],
      [404, 404, 200, 404]
    )
    assert.equal(errorCode(revoked), 'E_NOT_FOUND')
  })

  test('a deactivated member’s feed is not found', async ({ client, assert }) => {
    const { acme, owner, ada, adaApi } = await acmeWithAda(client)
    const url = (await adaApi.post(`${PLUGIN}/feed`)).body().data.url
    ;(await owner.post(`/members/${ada.id}/deactivate`)).assertStatus(200)

    assert.equal((await fetchFeed(client, acme, url)).status(), 404)
  })

  test('a disabled plugin’s routes are not found', async ({ client, assert }) => {
    const { acme, owner, adaApi } = await acmeWithAda(client)
    const url = (await adaApi.post(`${PLUGIN}/feed`)).body().data.url
    ;(await owner.post(`${PLUGIN}/disable`)).assertStatus(200)

    assert.equal((await adaApi.post(`${PLUGIN}/feed`)).status(), 404)
    assert.equal((await fetchFeed(client, acme, url)).status(), 404)
  })
})

test.group('calendar_sync over HTTP: CalDAV sync with Radicale', (group) => {
  needsRadicale(group)
  let radicale: RadicaleServer
  group.setup(async () => {
    radicale = await startRadicale()
    return () => radicale.stop()
  })
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())

  /** Ada connected to a fresh Radicale calendar, with task WEB-1 due on Dec 4 synced. */
  async function connected(client: ApiClient) {
    const workspace = await acmeWithAda(client)
    const user = { name: `ada${++users}`, password: 'app-password' }
    await radicale.createUser(user.name, user.password)
    const calendarUrl = await radicale.createCalendar(user, 'tasks', ['VTODO'])
    const task = await createTask(workspace.owner, workspace.web.id, {
      title: 'Ship it',
      assignee_ids: [workspace.ada.id],
      due_date: '2026-12-04',
    })
    const connect = await workspace.adaApi.put(`${PLUGIN}/connection`, {
      server_url: radicale.url,
      username: user.name,
      app_password: user.password,
    })
    connect.assertStatus(200)
    // Connecting queues a sync; the schedule's sweep is run too, as a second way in.
    const jobs = await app.container.make(PluginJobs)
    await jobs.runSchedule('calendar_sync', 'sync')
    const phone = await phoneClient(radicale.url, user.name, user.password)
    const uid = `task-${task.id}@acme.tandem`
    const onPhone = async () => (await phone.todosIn(calendarUrl)).map((o) => o.todo)
    const synced = await eventually(async () => (await onPhone()).length === 1, SYNC_TIMEOUT_MS)
    if (!synced) {
      const state = await workspace.adaApi.get(`${PLUGIN}/connection`)
      throw new Error(`The first sync did not write the task: ${JSON.stringify(state.body())}`)
    }
    const taskNow = async () => (await workspace.owner.get(`/tasks/${task.id}`)).body().data
    return { ...workspace, user, calendarUrl, task, phone, uid, onPhone, taskNow }
  }

  test('connecting checks the password and never shows it again', async ({ client, assert }) => {
    const { adaApi, user } = await connected(client)
    const refused = await adaApi.put(`${PLUGIN}/connection`, {
      server_url: radicale.url,
      username: user.name,
      app_password: 'wrong',
    })
    assert.equal(refused.status(), 422)
    assert.equal(errorCode(refused), 'E_CALDAV_UNAUTHORIZED')

    const shown = await adaApi.get(`${PLUGIN}/connection`)
    shown.assertStatus(200)
    assert.containsSubset(shown.body().data, {
      username: user.name,
      app_password: '********',
      last_sync_status: 'ok',
      synced_tasks: 1,
    })
    assert.notInclude(JSON.stringify(shown.body()), user.password)
  })

  test('a due date moved and a completion on the phone reach the task', async ({
    client,
    assert,
  }) => {
    const { adaApi, phone, calendarUrl, uid, taskNow } = await connected(client)
    await phone.edit(calendarUrl, uid, { due: '2026-12-11', completed: true })
    ;(await adaApi.post(`${PLUGIN}/sync`)).assertStatus(202)

    assert.isTrue(
      await eventually(async () => (await taskNow()).due_date === '2026-12-11', SYNC_TIMEOUT_MS)
    )
    assert.equal((await taskNow()).status.category, 'done')
  })

  test('a task changed in Tandem follows on the calendar, and leaves it without a due date', async ({
    client,
    assert,
  }) => {
    const { owner, task, onPhone } = await connected(client)
    await owner.patch(`/tasks/${task.id}`, { title: 'Ship it now', due_date: '2026-12-01' })
    assert.isTrue(
      await eventually(async () => {
        const [todo] = await onPhone()
        return String(todo?.getFirstPropertyValue('due')) === '2026-12-01'
      }, SYNC_TIMEOUT_MS)
    )
    assert.equal((await onPhone())[0].getFirstPropertyValue('summary'), `${task.key}: Ship it now`)

    await owner.patch(`/tasks/${task.id}`, { due_date: null })
    assert.isTrue(await eventually(async () => (await onPhone()).length === 0, SYNC_TIMEOUT_MS))
  })

  test('a conflict: Tandem keeps the title, the later due date wins', async ({
    client,
    assert,
  }) => {
    const { adaApi, owner, task, phone, calendarUrl, uid, taskNow, onPhone } =
      await connected(client)
    // Tandem first, the phone a minute later (its LAST-MODIFIED), before any sync runs.
    await owner.patch(`/tasks/${task.id}`, { due_date: '2026-12-02' })
    await phone.edit(calendarUrl, uid, {
      due: '2026-12-20',
      summary: 'renamed on the phone',
      at: new Date(Date.now() + 60_000),
    })
    ;(await adaApi.post(`${PLUGIN}/sync`)).assertStatus(202)

    assert.isTrue(
      await eventually(async () => (await taskNow()).due_date === '2026-12-20', SYNC_TIMEOUT_MS)
    )
    assert.isTrue(
      await eventually(async () => {
        const [todo] = await onPhone()
        return todo?.getFirstPropertyValue('summary') === `${task.key}: Ship it`
      }, SYNC_TIMEOUT_MS)
    )
  })

  test('disconnecting with removal deletes what Tandem wrote', async ({ client, assert }) => {
    const { adaApi, onPhone } = await connected(client)
    ;(await adaApi.delete(`${PLUGIN}/connection?remove_items=true`)).assertStatus(204)

    assert.lengthOf(await onPhone(), 0)
    assert.equal((await adaApi.get(`${PLUGIN}/connection`)).status(), 404)
  })
})
