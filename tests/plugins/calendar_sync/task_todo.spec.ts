import { test } from '@japa/runner'
import { readTodo, taskTodoObject } from '../../../plugins/calendar_sync/task_todo.js'
import { acmeIdentity, sampleTask } from './samples.js'

/** A to-do as another client would write it. */
function clientTodo(lines: string[]) {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Phone//EN',
    'BEGIN:VTODO',
    'UID:task-7@acme.tandem',
    'DTSTAMP:20261121T080000Z',
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n')
}

test.group('calendar_sync task to-do', () => {
  test('a task written as a VTODO reads back with its due date and status', ({ assert }) => {
    const todo = readTodo(taskTodoObject(sampleTask(), acmeIdentity))
    assert.deepEqual(todo, {
      uid: 'task-7@acme.tandem',
      summary: 'WEB-7: Ship the launch page',
      due_date: '2026-12-04',
      status: 'todo',
      modified_at: new Date('2026-11-20T10:00:00.000Z'),
    })
  })

  test('a done task is COMPLETED with its completion time', ({ assert }) => {
    const ics = taskTodoObject(
      sampleTask({
        status: { id: 3, name: 'Done', category: 'done' },
        completed_at: '2026-11-21T12:30:00.000Z',
      }),
      acmeIdentity
    )
    assert.include(ics, 'STATUS:COMPLETED')
    assert.include(ics, 'COMPLETED:20261121T123000Z')
    assert.include(ics, 'DUE;VALUE=DATE:20261204')
    assert.equal(readTodo(ics)?.status, 'done')
  })

  test('completion as clients mark it', ({ assert }) => {
    assert.equal(readTodo(clientTodo(['COMPLETED:20261121T090000Z']))?.status, 'done')
    assert.equal(readTodo(clientTodo(['PERCENT-COMPLETE:100']))?.status, 'done')
    assert.equal(readTodo(clientTodo(['STATUS:IN-PROCESS']))?.status, 'in_progress')
    // Re-opened: the explicit STATUS wins over a COMPLETED left behind.
    assert.equal(
      readTodo(clientTodo(['STATUS:NEEDS-ACTION', 'COMPLETED:20261121T090000Z']))?.status,
      'todo'
    )
    assert.isNull(readTodo(clientTodo(['STATUS:CANCELLED']))?.status)
  })

  test('a due time keeps the day as written; LAST-MODIFIED is the change time', ({ assert }) => {
    const todo = readTodo(
      clientTodo(['DUE;TZID=Europe/Paris:20261211T090000', 'LAST-MODIFIED:20261122T070000Z'])
    )
    assert.equal(todo?.due_date, '2026-12-11')
    assert.deepEqual(todo?.modified_at, new Date('2026-11-22T07:00:00Z'))
  })

  test('an object without a VTODO, or not iCalendar at all, reads as nothing', ({ assert }) => {
    assert.isNull(readTodo('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'))
    assert.isNull(readTodo('not a calendar'))
  })

  test('UIDs of another tenant are not ours', ({ assert }) => {
    assert.equal(acmeIdentity.taskIdOf('task-7@acme.tandem'), 7)
    assert.isNull(acmeIdentity.taskIdOf('task-7@globex.tandem'))
    assert.isNull(acmeIdentity.taskIdOf('7@acme.tandem'))
  })
})
