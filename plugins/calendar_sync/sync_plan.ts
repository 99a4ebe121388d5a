import type { PluginTask, TaskChange } from '#plugin-api'
import {
  type CalendarTodo,
  lastChange,
  type StatusCategory,
  type TodoFields,
  todoSummary,
} from './task_todo.js'

/** The task fields a calendar edit may change. */
export type TaskFieldChange = Pick<TaskChange, 'due_date' | 'status_category'>

/** What both sides agreed on at the last sync of one task (a row of `items`). */
export interface SyncedItem {
  task_id: number
  object_url: string
  /** The calendar object's ETag after our last write or read. */
  etag: string | null
  /** The task's version at the last sync. */
  task_version: number
  due_date: string | null
  status: StatusCategory
}

/** A Tandem to-do as found on the calendar. */
export interface RemoteTodo {
  url: string
  etag: string | null
  todo: CalendarTodo
}

export type SyncStep =
  /** Not on the calendar (new, or deleted there): write it. */
  | { kind: 'create'; task: PluginTask }
  /**
   * On both sides: `pull` changes the task first (with its version), then
   * `push` rewrites the calendar object from the task; with neither, only
   * the new ETag is recorded.
   */
  | {
      kind: 'reconcile'
      task: PluginTask
      remote: RemoteTodo
      pull: TaskFieldChange | null
      push: boolean
    }
  /** No longer one of the member's due tasks: delete the object (if any) and forget it. */
  | { kind: 'remove'; taskId: number; objectUrl: string }

/**
 * Decides, per task, what a sync does. The conflict rule (README):
 * - which tasks are on the calendar is Tandem's: assigned to the member,
 *   with a due date, readable by them; everything else Tandem put there is
 *   removed, and one deleted on the calendar is written again;
 * - title and description are Tandem's: an edit on the calendar is
 *   overwritten;
 * - due date and completion flow both ways: a field changed on one side
 *   only takes that side's value; changed on both sides to different
 *   values, the side modified last wins (the calendar's LAST-MODIFIED
 *   against the task's updated_at; a calendar object without one loses).
 */
export function planSync(input: {
  tasks: PluginTask[]
  items: SyncedItem[]
  /** Tandem to-dos on the calendar, by task id. */
  remotes: Map<number, RemoteTodo>
}): SyncStep[] {
  const steps: SyncStep[] = []
  const wanted = new Map(input.tasks.map((task) => [task.id, task]))
  const items = new Map(input.items.map((item) => [item.task_id, item]))

  for (const task of input.tasks) {
    const remote = input.remotes.get(task.id)
    const item = items.get(task.id)
    if (!remote) {
      steps.push({ kind: 'create', task })
    } else if (!item) {
      // Ours but unknown (e.g. left by an earlier connection): Tandem's state is the truth.
      steps.push({ kind: 'reconcile', task, remote, pull: null, push: true })
    } else if (item.task_version !== task.version || item.etag !== remote.etag) {
      steps.push(reconcile(task, remote, item))
    }
  }
  for (const item of input.items) {
    if (!wanted.has(item.task_id)) {
      const objectUrl = input.remotes.get(item.task_id)?.url ?? item.object_url
      steps.push({ kind: 'remove', taskId: item.task_id, objectUrl })
    }
  }
  return steps
}

function reconcile(task: PluginTask, remote: RemoteTodo, base: SyncedItem): SyncStep {
  const tandem: TodoFields = { due_date: task.due_date, status: task.status.category }
  const calendar = remote.todo
  const tandemIsNewer =
    !calendar.modified_at || new Date(lastChange(task)).getTime() >= calendar.modified_at.getTime()

  const due = merge(base.due_date, tandem.due_date, calendar.due_date, tandemIsNewer)
  // A status Tandem has no category for (CANCELLED) counts as unchanged.
  const status = merge(base.status, tandem.status, calendar.status ?? base.status, tandemIsNewer)

  const change: TaskFieldChange = {}
  if (due !== tandem.due_date) {
    change.due_date = due
  }
  if (status !== tandem.status && status) {
    change.status_category = status
  }
  const pull = Object.keys(change).length > 0 ? change : null
  const push =
    pull !== null ||
    task.version !== base.task_version ||
    calendar.due_date !== due ||
    calendar.status !== status ||
    calendar.summary !== todoSummary(task)
  return { kind: 'reconcile', task, remote, pull, push }
}

function merge<Value>(base: Value, tandem: Value, calendar: Value, tandemIsNewer: boolean): Value {
  const tandemChanged = tandem !== base
  const calendarChanged = calendar !== base
  if (calendarChanged && (!tandemChanged || !tandemIsNewer)) {
    return calendar
  }
  return tandem
}
