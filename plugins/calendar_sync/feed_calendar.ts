import ICAL from 'ical.js'
import type { PluginProject, PluginTask } from '#plugin-api'
import { type Calendar, dateValue, newCalendar, nextDay, utcValue } from './ical_values.js'
import type { TaskIdentity } from './task_identity.js'
import { lastChange, todoSummary } from './task_todo.js'

/**
 * The read-only feed a member subscribes to. Tasks are all-day VEVENTs,
 * not VTODOs: subscribed calendars in Google Calendar, Outlook and Apple
 * Calendar show events only, and the feed exists to be seen there (two-way
 * to-dos are what the CalDAV sync is for).
 */
export function feedCalendar(options: {
  memberName: string
  tasks: PluginTask[]
  projects: PluginProject[]
  identity: TaskIdentity
}): string {
  const { identity } = options
  const calendar = newCalendar(`Tandem (${identity.tenantSlug}): ${options.memberName}`)
  for (const task of options.tasks) {
    if (task.due_date) {
      calendar.addSubcomponent(taskEvent(task, task.due_date, identity))
    }
  }
  for (const project of options.projects) {
    for (const milestone of milestones(project)) {
      calendar.addSubcomponent(milestoneEvent(project, milestone, identity))
    }
  }
  return calendar.toString()
}

function taskEvent(task: PluginTask, due: string, identity: TaskIdentity): Calendar {
  const done = task.status.category === 'done'
  const link = identity.link(task)
  const event = allDayEvent(identity.uid(task.id), due, lastChange(task))
  event.addPropertyWithValue('sequence', task.version)
  // Events have no "completed" state clients show; the mark keeps done work visible but distinct.
  event.addPropertyWithValue('summary', `${done ? '✓ ' : ''}${todoSummary(task)}`)
  event.addPropertyWithValue(
    'description',
    [`Status: ${task.status.name}`, task.description, link].filter(Boolean).join('\n\n')
  )
  event.addPropertyWithValue('url', link)
  return event
}

interface Milestone {
  kind: 'start' | 'end'
  date: string
}

function milestones(project: PluginProject): Milestone[] {
  const found: Milestone[] = []
  if (project.start_date) {
    found.push({ kind: 'start', date: project.start_date })
  }
  if (project.end_date) {
    found.push({ kind: 'end', date: project.end_date })
  }
  return found
}

function milestoneEvent(project: PluginProject, milestone: Milestone, identity: TaskIdentity) {
  const uid = `project-${project.id}-${milestone.kind}@${identity.tenantSlug}.tandem`
  const event = allDayEvent(uid, milestone.date, project.updated_at ?? new Date(0).toISOString())
  const label = milestone.kind === 'start' ? 'starts' : 'ends'
  event.addPropertyWithValue('summary', `${project.key} ${label}: ${project.name}`)
  if (project.description) {
    event.addPropertyWithValue('description', project.description)
  }
  return event
}

/**
 * DTEND is the next day (exclusive, RFC 5545 3.6.1), and TRANSPARENT keeps
 * due dates from showing the member as busy all day.
 */
function allDayEvent(uid: string, date: string, changedAt: string): Calendar {
  const event = new ICAL.Component('vevent')
  event.addPropertyWithValue('uid', uid)
  event.addPropertyWithValue('dtstamp', utcValue(changedAt))
  event.addPropertyWithValue('last-modified', utcValue(changedAt))
  event.addPropertyWithValue('dtstart', dateValue(date))
  event.addPropertyWithValue('dtend', nextDay(date))
  event.addPropertyWithValue('transp', 'TRANSPARENT')
  return event
}
