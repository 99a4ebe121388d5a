import { test } from '@japa/runner'
import { TaskCalendar } from '../../../plugins/calendar_sync/caldav_calendar.js'
import { syncMemberCalendar } from '../../../plugins/calendar_sync/member_sync.js'
import { syncedItemsOf } from '../../../plugins/calendar_sync/synced_items.js'
import { phoneClient } from './phone.js'
import { needsRadicale, type RadicaleServer, startRadicale } from './radicale.js'
import { sampleTask } from './samples.js'
import { standaloneContext } from './standalone_context.js'

const ADA_ID = 42
let calendarCount = 0

test.group('calendar_sync member sync (Radicale, without the runtime)', (group) => {
  needsRadicale(group)
  let radicale: RadicaleServer
  group.setup(async () => {
    radicale = await startRadicale()
    return () => radicale.stop()
  })

  /** A fresh user and calendar, Ada's tasks WEB-1 (due) and WEB-2 (no due date), and a sync. */
  async function synced() {
    const user = { name: `ada${++calendarCount}`, password: 'app-password' }
    await radicale.createUser(user.name, user.password)
    const calendarUrl = await radicale.createCalendar(user, 'tasks', ['VTODO'])
    const standalone = await standaloneContext()
    // What PUT /connection stores; the engine itself reads only the synced items.
    await standalone.context.db.table('connections').insert({
      member_id: ADA_ID,
      server_url: radicale.url,
      username: user.name,
      password_encrypted: 'not read here',
      calendar_url: calendarUrl,
      connected_at: new Date(),
    })
    standalone.tasks.set(1, sampleTask({ id: 1, key: 'WEB-1', due_date: '2026-12-04' }))
    standalone.tasks.set(2, sampleTask({ id: 2, key: 'WEB-2', due_date: null }))
    const calendar = await TaskCalendar.open(
      { serverUrl: radicale.url, username: user.name, password: user.password },
      fetch
    )
    const sync = () => syncMemberCalendar(standalone.context, ADA_ID, calendar)
    const phone = await phoneClient(radicale.url, user.name, user.password)
    const first = await sync()
    return { ...standalone, calendarUrl, sync, phone, first }
  }

  group.each.teardown(async () => {
    const { cleanup } = await standaloneContext()
    await cleanup()
  })

  test('the first sync writes the due tasks; the next finds nothing to do', async ({ assert }) => {
    const { first, sync, phone, calendarUrl } = await synced()
    assert.deepInclude(first, { created: 1 })

    const todos = await phone.todosIn(calendarUrl)
    assert.deepEqual(
      todos.map((object) => object.todo.getFirstPropertyValue('uid')),
      ['task-1@acme.tandem']
    )
    assert.deepEqual(await sync(), { created: 0, updated: 0, pulled: 0, removed: 0, deferred: 0 })
  })

  test('a due date moved and a completion on the phone reach the task', async ({ assert }) => {
    const { sync, phone, calendarUrl, tasks, updates, context } = await synced()
    await phone.edit(calendarUrl, 'task-1@acme.tandem', { due: '2026-12-11', completed: true })

    assert.deepInclude(await sync(), { pulled: 1, updated: 1 })
    assert.deepEqual(updates, [
      { id: 1, change: { due_date: '2026-12-11', status_category: 'done', expected_version: 3 } },
    ])
    assert.equal(tasks.get(1)!.due_date, '2026-12-11')
    const [item] = await syncedItemsOf(context.db, ADA_ID)
    assert.deepInclude(item, { task_version: 4, due_date: '2026-12-11', status: 'done' })
    assert.deepInclude(await sync(), { pulled: 0, updated: 0 })
  })

  test('a task edited in Tandem is rewritten on the calendar', async ({ assert }) => {
    const { sync, phone, calendarUrl, editTask } = await synced()
    editTask(1, { title: 'Renamed', due_date: '2026-12-01' })

    assert.deepInclude(await sync(), { updated: 1, pulled: 0 })
    const { todo } = await phone.todo(calendarUrl, 'task-1@acme.tandem')
    assert.equal(todo.getFirstPropertyValue('summary'), 'WEB-1: Renamed')
    assert.equal(String(todo.getFirstPropertyValue('due')), '2026-12-01')
  })

  test('a task that loses its due date or its assignee leaves the calendar', async ({ assert }) => {
    const { sync, phone, calendarUrl, editTask, tasks } = await synced()
    tasks.set(3, sampleTask({ id: 3, key: 'WEB-3', due_date: '2026-12-06' }))
    assert.deepInclude(await sync(), { created: 1 })

    editTask(1, { due_date: null })
    editTask(3, { assignee_ids: [] })
    assert.deepInclude(await sync(), { removed: 2 })
    assert.lengthOf(await phone.todosIn(calendarUrl), 0)
  })

  test('both sides moved the due date: the later edit wins', async ({ assert }) => {
    const { sync, phone, calendarUrl, editTask, tasks } = await synced()
    editTask(1, { due_date: '2026-12-01' }, new Date(Date.now() - 60_000))
    await phone.edit(calendarUrl, 'task-1@acme.tandem', { due: '2026-12-20' })

    await sync()
    assert.equal(tasks.get(1)!.due_date, '2026-12-20')
    const { todo } = await phone.todo(calendarUrl, 'task-1@acme.tandem')
    assert.equal(String(todo.getFirstPropertyValue('due')), '2026-12-20')
  })

  test('a title edited on the phone is put back', async ({ assert }) => {
    const { sync, phone, calendarUrl, updates } = await synced()
    await phone.edit(calendarUrl, 'task-1@acme.tandem', { summary: 'my words' })

    await sync()
    assert.lengthOf(updates, 0)
    const { todo } = await phone.todo(calendarUrl, 'task-1@acme.tandem')
    assert.equal(todo.getFirstPropertyValue('summary'), 'WEB-1: Ship the launch page')
  })

  test('a to-do deleted on the phone comes back', async ({ assert }) => {
    const { sync, phone, calendarUrl } = await synced()
    await phone.remove(calendarUrl, 'task-1@acme.tandem')

    assert.deepInclude(await sync(), { created: 1 })
    assert.lengthOf(await phone.todosIn(calendarUrl), 1)
  })

  test('a version conflict leaves the edit for the next sync', async ({ assert }) => {
    const { sync, phone, calendarUrl, tasks, context } = await synced()
    await phone.edit(calendarUrl, 'task-1@acme.tandem', { due: '2026-12-11' })
    // The task moves on between the read and the write: the update sees another version.
    const api = context.api.as(ADA_ID)
    const update = api.tasks.update
    let raced = false
    api.tasks.update = async (id, change) => {
      if (!raced) {
        raced = true
        tasks.set(id, { ...tasks.get(id)!, version: tasks.get(id)!.version + 1 })
      }
      return update(id, change)
    }

    assert.deepInclude(await sync(), { deferred: 1, pulled: 0 })
    assert.equal(tasks.get(1)!.due_date, '2026-12-04')
    assert.deepInclude(await sync(), { pulled: 1 })
    assert.equal(tasks.get(1)!.due_date, '2026-12-11')
  })
})
