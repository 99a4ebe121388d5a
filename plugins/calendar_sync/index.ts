import { definePlugin } from '#plugin-api'
import { connectionRoutes } from './connection_routes.js'
import { feedRoutes } from './feed_routes.js'
import { migrations } from './migrations.js'
import { settingsSchema } from './settings.js'
import { syncJob } from './sync_job.js'
import { onProjectMemberRemoved, onTaskEvent } from './task_events.js'

/**
 * Tandem tasks in the calendars members already use: a read-only
 * iCalendar feed, and a two-way CalDAV sync of to-dos. README.md has the
 * behaviour and the conflict rule.
 */
export default definePlugin({
  id: 'calendar_sync',
  name: 'Calendar sync',
  version: '1.0.0',
  description:
    'Your due tasks and project milestones in your calendar app: a private iCalendar feed, and two-way sync of tasks with your CalDAV calendar.',
  permissions: ['users:read', 'projects:read', 'tasks:read', 'tasks:write', 'network'],
  settings: { schema: settingsSchema },
  migrations,
  routes: [...feedRoutes, ...connectionRoutes],
  jobs: { sync: syncJob },
  // Every 5 minutes, the shortest interval allowed; each connection syncs when its own interval has passed.
  schedules: [{ job: 'sync', everyMinutes: 5 }],
  events: {
    'task.*': onTaskEvent,
    'project.member_removed': onProjectMemberRemoved,
  },
  limits: { timeoutMs: 60_000 },
})
