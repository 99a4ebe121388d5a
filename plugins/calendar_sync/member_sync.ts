import type { PluginContext, PluginCoreApi, PluginTask } from '#plugin-api'
import type { TaskCalendar } from './caldav_calendar.js'
import { dueTasksOf } from './due_tasks.js'
import { forgetSyncedItem, saveSyncedItem, syncedItemsOf } from './synced_items.js'
import { planSync, type RemoteTodo, type SyncStep } from './sync_plan.js'
import { type TaskIdentity, taskIdentity } from './task_identity.js'
import { readTodo, taskTodoObject } from './task_todo.js'

export interface SyncReport {
  created: number
  updated: number
  /** Tasks changed in Tandem from a calendar edit. */
  pulled: number
  removed: number
  /** Left for the next sync (a task or object changed while we worked). */
  deferred: number
}

/**
 * One sync of one member's tasks with their calendar: reads both sides,
 * plans with `planSync` (the conflict rule lives there) and applies the
 * plan step by step, recording after each step what both sides agree on.
 */
export async function syncMemberCalendar(
  context: PluginContext<any>,
  memberId: number,
  calendar: TaskCalendar
): Promise<SyncReport> {
  const identity = taskIdentity(context)
  const api = context.api.as(memberId)
  const [tasks, objects, items] = await Promise.all([
    dueTasksOf(context.api, memberId),
    calendar.todos(),
    syncedItemsOf(context.db, memberId),
  ])
  const steps = planSync({ tasks, items, remotes: tandemTodos(objects, identity) })
  const report: SyncReport = { created: 0, updated: 0, pulled: 0, removed: 0, deferred: 0 }
  const run = { context, memberId, calendar, identity, api, report }
  for (const step of steps) {
    context.signal.throwIfAborted()
    await apply(run, step)
  }
  return report
}

interface SyncRun {
  context: PluginContext<any>
  memberId: number
  calendar: TaskCalendar
  identity: TaskIdentity
  api: PluginCoreApi
  report: SyncReport
}

function tandemTodos(
  objects: { url: string; etag: string | null; data: string }[],
  identity: TaskIdentity
) {
  const remotes = new Map<number, RemoteTodo>()
  for (const object of objects) {
    const todo = readTodo(object.data)
    const taskId = todo && identity.taskIdOf(todo.uid)
    if (todo && taskId !== null) {
      remotes.set(taskId, { url: object.url, etag: object.etag, todo })
    }
  }
  return remotes
}

async function apply(run: SyncRun, step: SyncStep) {
  const { context, memberId, calendar, identity, report } = run
  switch (step.kind) {
    case 'create': {
      const written = await calendar.create(
        identity.fileName(step.task.id),
        taskTodoObject(step.task, identity)
      )
      if (!written) {
        report.deferred++
        return
      }
      await record(run, step.task, written.url, written.etag)
      report.created++
      return
    }
    case 'remove': {
      await calendar.remove(step.objectUrl)
      await forgetSyncedItem(context.db, memberId, step.taskId)
      report.removed++
      return
    }
    case 'reconcile': {
      let task = step.task
      if (step.pull) {
        const updated = await pullIntoTask(run, task, step.pull)
        if (!updated) {
          report.deferred++
          return
        }
        task = updated
      }
      if (!step.push) {
        await record(run, task, step.remote.url, step.remote.etag)
        return
      }
      const written = await calendar.update({
        url: step.remote.url,
        etag: step.remote.etag,
        data: taskTodoObject(task, identity),
      })
      if (!written) {
        // Edited on the calendar since we read it: the next sync sees that edit.
        report.deferred++
        return
      }
      await record(run, task, written.url, written.etag)
      report.updated++
    }
  }
}

/**
 * Applies a calendar edit to the task at the version the plan saw. A
 * version conflict means the task moved on meanwhile: nothing is recorded,
 * so the next sync decides again with both changes in view. A refusal
 * (the member may not edit this task) keeps the task as it is, and the
 * calendar is rewritten from it.
 */
async function pullIntoTask(
  run: SyncRun,
  task: PluginTask,
  change: NonNullable<Extract<SyncStep, { kind: 'reconcile' }>['pull']>
): Promise<PluginTask | null> {
  try {
    const updated = await run.api.tasks.update(task.id, {
      ...change,
      expected_version: task.version,
    })
    run.report.pulled++
    return updated
  } catch (error) {
    const { code, status } = error as { code?: string; status?: number }
    if (code === 'E_VERSION_CONFLICT') {
      return null
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      run.context.logger.info(
        { task_id: task.id, code },
        'calendar edit refused; the calendar is reset from the task'
      )
      return task
    }
    throw error
  }
}

async function record(run: SyncRun, task: PluginTask, objectUrl: string, etag: string | null) {
  await saveSyncedItem(run.context.db, run.memberId, {
    task_id: task.id,
    object_url: objectUrl,
    etag,
    task_version: task.version,
    due_date: task.due_date,
    status: task.status.category,
  })
}
