import { test } from '@japa/runner'
import { CaldavError, TaskCalendar } from '../../../plugins/calendar_sync/caldav_calendar.js'
import { readTodo, taskTodoObject } from '../../../plugins/calendar_sync/task_todo.js'
import { needsRadicale, type RadicaleServer, startRadicale } from './radicale.js'
import { acmeIdentity, sampleTask } from './samples.js'

const ADA = { name: 'ada', password: 'ada-app-password' }

test.group('calendar_sync CalDAV calendar (Radicale)', (group) => {
  needsRadicale(group)
  let radicale: RadicaleServer
  let eventsUrl: string
  let tasksUrl: string
  group.setup(async () => {
    radicale = await startRadicale()
    await radicale.createUser(ADA.name, ADA.password)
    // An events-only calendar first, so "the first calendar that holds to-dos" has to look.
    eventsUrl = await radicale.createCalendar(ADA, 'a-events', ['VEVENT'])
    tasksUrl = await radicale.createCalendar(ADA, 'b-tasks', ['VTODO'])
    return () => radicale.stop()
  })

  const open = (overrides: { password?: string; calendarUrl?: string; serverUrl?: string } = {}) =>
    TaskCalendar.open(
      {
        serverUrl: overrides.serverUrl ?? radicale.url,
        username: ADA.name,
        password: overrides.password ?? ADA.password,
        calendarUrl: overrides.calendarUrl,
      },
      fetch
    )

  const failure = async (opening: Promise<unknown>) => {
    try {
      await opening
    } catch (error) {
      return error instanceof CaldavError ? error.reason : `not a CaldavError: ${error}`
    }
    return 'opened'
  }

  test('without a calendar URL, the first calendar that holds to-dos is used', async ({
    assert,
  }) => {
    const calendar = await open()
    assert.equal(calendar.url, tasksUrl)
    assert.equal(calendar.name, 'b-tasks')
  })

  test('a named calendar is used when the account has it', async ({ assert }) => {
    const named = await open({ calendarUrl: eventsUrl })
    assert.equal(named.url, eventsUrl)
    assert.equal(
      await failure(open({ calendarUrl: `${radicale.url}/ada/missing/` })),
      'calendar_not_found'
    )
  })

  test('a wrong password and an unreachable server are told apart', async ({ assert }) => {
    assert.equal(await failure(open({ password: 'wrong' })), 'unauthorized')
    assert.equal(await failure(open({ serverUrl: 'http://127.0.0.1:9/' })), 'unreachable')
  })

  test('a to-do written is read back with the ETag the write returned', async ({ assert }) => {
    const calendar = await open()
    const written = await calendar.create(
      'write-read.ics',
      taskTodoObject(sampleTask(), acmeIdentity)
    )
    assert.isNotNull(written?.etag)

    const todos = await calendar.todos()
    const found = todos.find((object) => object.url === written!.url)
    assert.equal(found?.etag, written!.etag)
    assert.deepInclude(readTodo(found!.data), {
      uid: 'task-7@acme.tandem',
      due_date: '2026-12-04',
      status: 'todo',
    })
  })

  test('a write over a changed object is refused, not applied', async ({ assert }) => {
    const calendar = await open()
    const data = taskTodoObject(sampleTask({ id: 8, key: 'WEB-8' }), acmeIdentity)
    const written = (await calendar.create('stale.ics', data))!
    const moved = taskTodoObject(
      sampleTask({ id: 8, key: 'WEB-8', due_date: '2026-12-24' }),
      acmeIdentity
    )
    assert.isNotNull(await calendar.update({ ...written, data: moved }))

    assert.isNull(await calendar.update({ ...written, data }))
    assert.isNull(await calendar.create('stale.ics', data))
    const todos = await calendar.todos()
    const found = todos.find((object) => object.url === written.url)!
    assert.equal(readTodo(found.data)?.due_date, '2026-12-24')
  })

  test('a removed object is gone, and removing it again is fine', async ({ assert }) => {
    const calendar = await open()
    // Servers refuse a second object with a UID the collection holds (RFC 4791 5.3.2.1): task 9.
    const task = sampleTask({ id: 9, key: 'WEB-9' })
    const written = (await calendar.create('gone.ics', taskTodoObject(task, acmeIdentity)))!
    await calendar.remove(written.url)
    await calendar.remove(written.url)
    const todos = await calendar.todos()
    assert.notInclude(
      todos.map((object) => object.url),
      written.url
    )
  })
})
