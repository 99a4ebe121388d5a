import { test } from '@japa/runner'
import type { PluginTask } from '#plugin-api'
import {
  planSync,
  type RemoteTodo,
  type SyncedItem,
} from '../../../plugins/calendar_sync/sync_plan.js'
import type { CalendarTodo } from '../../../plugins/calendar_sync/task_todo.js'
import { sampleTask } from './samples.js'

const URL = 'http://dav.test/ada/tasks/tandem-acme-task-7.ics'

/** Task 7 as both sides agreed at the last sync (version 3, etag "e1"). */
const synced: SyncedItem = {
  task_id: 7,
  object_url: URL,
  etag: '"e1"',
  task_version: 3,
  due_date: '2026-12-04',
  status: 'todo',
}

function remote(todo: Partial<CalendarTodo> = {}, etag = '"e1"'): RemoteTodo {
  return {
    url: URL,
    etag,
    todo: {
      uid: 'task-7@acme.tandem',
      summary: 'WEB-7: Ship the launch page',
      due_date: '2026-12-04',
      status: 'todo',
      modified_at: new Date('2026-11-20T10:00:00Z'),
      ...todo,
    },
  }
}

/** The task after an edit in Tandem at `at`. */
function editedTask(change: Partial<PluginTask>, at = '2026-11-22T10:00:00.000Z') {
  return sampleTask({ version: 4, updated_at: at, ...change })
}

function plan(task: PluginTask | null, item: SyncedItem | null, onCalendar: RemoteTodo | null) {
  return planSync({
    tasks: task ? [task] : [],
    items: item ? [item] : [],
    remotes: new Map(onCalendar ? [[7, onCalendar]] : []),
  })
}

test.group('calendar_sync sync plan', () => {
  test('a new due task is created on the calendar', ({ assert }) => {
    assert.deepEqual(plan(sampleTask(), null, null), [{ kind: 'create', task: sampleTask() }])
  })

  test('nothing happens when neither side changed', ({ assert }) => {
    assert.deepEqual(plan(sampleTask(), synced, remote()), [])
  })

  test('a due date moved on the calendar moves the task', ({ assert }) => {
    const [step] = plan(sampleTask(), synced, remote({ due_date: '2026-12-09' }, '"e2"'))
    assert.deepInclude(step, { kind: 'reconcile', pull: { due_date: '2026-12-09' }, push: true })
  })

  test('a to-do completed on the calendar completes the task, re-opened re-opens it', ({
    assert,
  }) => {
    const [completed] = plan(sampleTask(), synced, remote({ status: 'done' }, '"e2"'))
    assert.deepInclude(completed, { pull: { status_category: 'done' } })

    const done = sampleTask({ status: { id: 3, name: 'Done', category: 'done' } })
    const [reopened] = plan(done, { ...synced, status: 'done' }, remote({ status: 'todo' }, '"e2"'))
    assert.deepInclude(reopened, { pull: { status_category: 'todo' } })
  })

  test('a change in Tandem is pushed', ({ assert }) => {
    const task = editedTask({ due_date: '2026-12-01', title: 'Ship it' })
    assert.deepEqual(plan(task, synced, remote()), [
      { kind: 'reconcile', task, remote: remote(), pull: null, push: true },
    ])
  })

  test('both changed the due date: the calendar edited last wins', ({ assert }) => {
    const task = editedTask({ due_date: '2026-12-01' }, '2026-11-22T10:00:00.000Z')
    const phone = remote(
      { due_date: '2026-12-09', modified_at: new Date('2026-11-22T11:00:00Z') },
      '"e2"'
    )
    const [step] = plan(task, synced, phone)
    assert.deepInclude(step, { pull: { due_date: '2026-12-09' }, push: true })
  })

  test('both changed the due date: Tandem edited last wins', ({ assert }) => {
    const task = editedTask({ due_date: '2026-12-01' }, '2026-11-22T12:00:00.000Z')
    const phone = remote(
      { due_date: '2026-12-09', modified_at: new Date('2026-11-22T11:00:00Z') },
      '"e2"'
    )
    const [step] = plan(task, synced, phone)
    assert.deepInclude(step, { pull: null, push: true })
  })

  test('a calendar object without a modification time loses a conflict', ({ assert }) => {
    const task = editedTask({ due_date: '2026-12-01' })
    const [step] = plan(task, synced, remote({ due_date: '2026-12-09', modified_at: null }, '"e2"'))
    assert.deepInclude(step, { pull: null, push: true })
  })

  test('different fields changed on each side are both kept', ({ assert }) => {
    const task = editedTask({ due_date: '2026-12-01' }, '2026-11-22T12:00:00.000Z')
    const phone = remote({ status: 'done', modified_at: new Date('2026-11-22T11:00:00Z') }, '"e2"')
    const [step] = plan(task, synced, phone)
    assert.deepInclude(step, { pull: { status_category: 'done' }, push: true })
  })

  test('a title edited on the calendar is overwritten by Tandem', ({ assert }) => {
    const [step] = plan(sampleTask(), synced, remote({ summary: 'my own words' }, '"e2"'))
    assert.deepInclude(step, { pull: null, push: true })
  })

  test('an edit that changes nothing Tandem syncs only records the new ETag', ({ assert }) => {
    const [step] = plan(sampleTask(), synced, remote({}, '"e2"'))
    assert.deepInclude(step, { kind: 'reconcile', pull: null, push: false })
  })

  test('CANCELLED on the calendar changes nothing in Tandem and is reset', ({ assert }) => {
    const [step] = plan(sampleTask(), synced, remote({ status: null }, '"e2"'))
    assert.deepInclude(step, { pull: null, push: true })
  })

  test('a task that left the member (no due date, unassigned, deleted) is removed', ({
    assert,
  }) => {
    assert.deepEqual(plan(null, synced, remote()), [{ kind: 'remove', taskId: 7, objectUrl: URL }])
    assert.deepEqual(plan(null, synced, null), [{ kind: 'remove', taskId: 7, objectUrl: URL }])
  })

  test('a to-do deleted on the calendar is written again', ({ assert }) => {
    assert.deepEqual(plan(sampleTask(), synced, null), [{ kind: 'create', task: sampleTask() }])
  })

  test('a Tandem to-do found without a record is taken over with Tandem state', ({ assert }) => {
    const found = remote({ due_date: '2026-12-09' }, '"old"')
    assert.deepEqual(plan(sampleTask(), null, found), [
      { kind: 'reconcile', task: sampleTask(), remote: found, pull: null, push: true },
    ])
  })
})
