import ICAL from 'ical.js'
import type { PluginTask } from '#plugin-api'
import { type Calendar, dateValue, dayOf, newCalendar, utcValue } from './ical_values.js'
import type { TaskIdentity } from './task_identity.js'

export type StatusCategory = PluginTask['status']['category']

/** RFC 5545 section 3.8.1.11: the VTODO statuses Tandem's categories map to. */
const TODO_STATUS: Record<StatusCategory, string> = {
  todo: 'NEEDS-ACTION',
  in_progress: 'IN-PROCESS',
  done: 'COMPLETED',
}

/** What the two sides of a sync share about a task: the fields that flow back. */
export interface TodoFields {
  due_date: string | null
  /** null when the calendar says something Tandem has no category for (CANCELLED). */
  status: StatusCategory | null
}

export interface CalendarTodo extends TodoFields {
  uid: string
  summary: string | null
  /** LAST-MODIFIED, else DTSTAMP: when the calendar side last changed it. */
  modified_at: Date | null
}

export function todoSummary(task: PluginTask) {
  return `${task.key}: ${task.title}`
}

/** The VTODO for a task, in its own VCALENDAR: one CalDAV object. */
export function taskTodoObject(task: PluginTask, identity: TaskIdentity): string {
  const calendar = newCalendar()
  calendar.addSubcomponent(taskTodo(task, identity))
  return calendar.toString()
}

export function taskTodo(task: PluginTask, identity: TaskIdentity): Calendar {
  const todo = new ICAL.Component('vtodo')
  const link = identity.link(task)
  const changedAt = lastChange(task)
  todo.addPropertyWithValue('uid', identity.uid(task.id))
  // Without METHOD, DTSTAMP is when the information last changed (RFC 5545 3.8.7.2).
  todo.addPropertyWithValue('dtstamp', utcValue(changedAt))
  todo.addPropertyWithValue('last-modified', utcValue(changedAt))
  if (task.created_at) {
    todo.addPropertyWithValue('created', utcValue(task.created_at))
  }
  // Clients keep the copy with the highest SEQUENCE; the task version only grows.
  todo.addPropertyWithValue('sequence', task.version)
  todo.addPropertyWithValue('summary', todoSummary(task))
  todo.addPropertyWithValue('description', describe(task, link))
  todo.addPropertyWithValue('url', link)
  if (task.due_date) {
    todo.addPropertyWithValue('due', dateValue(task.due_date))
  }
  todo.addPropertyWithValue('status', TODO_STATUS[task.status.category])
  if (task.status.category === 'done') {
    todo.addPropertyWithValue('completed', utcValue(task.completed_at ?? changedAt))
    todo.addPropertyWithValue('percent-complete', 100)
  }
  return todo
}

/** When the task last changed, as far as Tandem says. */
export function lastChange(task: Pick<PluginTask, 'updated_at' | 'created_at'>) {
  return task.updated_at ?? task.created_at ?? new Date(0).toISOString()
}

function describe(task: PluginTask, link: string) {
  return task.description ? `${task.description}\n\n${link}` : link
}

/** The first VTODO of a CalDAV object, or null when it holds none (or cannot be parsed). */
export function readTodo(ics: string): CalendarTodo | null {
  let calendar: Calendar
  try {
    calendar = new ICAL.Component(ICAL.parse(ics))
  } catch {
    return null
  }
  const todo = calendar.getFirstSubcomponent('vtodo')
  const uid = todo?.getFirstPropertyValue('uid')
  if (!todo || typeof uid !== 'string') {
    return null
  }
  const due = todo.getFirstPropertyValue('due')
  const summary = todo.getFirstPropertyValue('summary')
  const modified =
    todo.getFirstPropertyValue('last-modified') ?? todo.getFirstPropertyValue('dtstamp')
  return {
    uid,
    summary: typeof summary === 'string' ? summary : null,
    due_date: due instanceof ICAL.Time ? dayOf(due) : null,
    status: statusOf(todo),
    modified_at: modified instanceof ICAL.Time ? modified.toJSDate() : null,
  }
}

/**
 * Clients disagree on how they mark completion: Apple sets STATUS and
 * COMPLETED, some only COMPLETED or PERCENT-COMPLETE:100. An explicit
 * STATUS wins, since a client re-opening a to-do may leave COMPLETED behind.
 */
function statusOf(todo: Calendar): StatusCategory | null {
  switch (String(todo.getFirstPropertyValue('status') ?? '').toUpperCase()) {
    case 'CANCELLED':
      return null
    case 'COMPLETED':
      return 'done'
    case 'IN-PROCESS':
      return 'in_progress'
    case 'NEEDS-ACTION':
      return 'todo'
  }
  const percent = Number(todo.getFirstPropertyValue('percent-complete'))
  return todo.hasProperty('completed') || percent === 100 ? 'done' : 'todo'
}
