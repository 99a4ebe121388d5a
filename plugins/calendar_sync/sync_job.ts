import type { PluginContext } from '#plugin-api'
import { CaldavError, TaskCalendar } from './caldav_calendar.js'
import { allConnections, type Connection, connectionOf, recordSyncOutcome } from './connections.js'
import { syncMemberCalendar } from './member_sync.js'
import { pluginFetch } from './plugin_fetch.js'
import { clearSyncRequest } from './sync_requests.js'
import type { CalendarSyncSettings } from './settings.js'

export const DEFAULT_SYNC_INTERVAL_MINUTES = 15

/**
 * `jobs.sync`. With `member_id`: that member now (a task changed, or they
 * asked). Without: the schedule's sweep, which syncs each connection whose
 * last sync is older than the tenant's interval.
 */
export async function syncJob(
  context: PluginContext<CalendarSyncSettings>,
  data: Record<string, unknown>
) {
  if (typeof data.member_id === 'number') {
    await clearSyncRequest(context, data.member_id)
    const connection = await connectionOf(context.db, data.member_id)
    if (connection) {
      await syncConnection(context, connection)
    }
    return
  }
  const intervalMs =
    (context.settings.sync_interval_minutes ?? DEFAULT_SYNC_INTERVAL_MINUTES) * 60_000
  // A minute of slack, so a sweep that runs slightly early does not skip a connection for a whole period.
  const dueBefore = Date.now() - intervalMs + 60_000
  const failures: unknown[] = []
  for (const connection of await allConnections(context.db)) {
    if (connection.last_sync_at && new Date(connection.last_sync_at).getTime() > dueBefore) {
      continue
    }
    try {
      await syncConnection(context, connection)
    } catch (error) {
      failures.push(error)
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} calendar syncs failed`)
  }
}

/**
 * Syncs one connection and records the outcome the member sees on
 * GET /connection. Problems on the member's side (password changed, server
 * down) are recorded, not thrown: they are not the plugin failing, and
 * must not count towards disabling it for the whole workspace.
 */
export async function syncConnection(
  context: PluginContext<CalendarSyncSettings>,
  connection: Connection
) {
  const memberId = connection.member_id
  const member = await context.api.members.get(memberId)
  if (!member || member.status !== 'active') {
    await recordSyncOutcome(context.db, memberId, {
      status: 'failed',
      error: 'The member is deactivated',
    })
    return null
  }
  const password = context.secrets.decrypt(connection.password_encrypted)
  if (password === null) {
    await recordSyncOutcome(context.db, memberId, {
      status: 'failed',
      error: 'The stored password can no longer be read: connect the calendar again',
    })
    return null
  }
  try {
    const calendar = await TaskCalendar.open(
      {
        serverUrl: connection.server_url,
        username: connection.username,
        password,
        calendarUrl: connection.calendar_url,
      },
      pluginFetch(context)
    )
    const report = await syncMemberCalendar(context, memberId, calendar)
    await recordSyncOutcome(context.db, memberId, { status: 'ok' })
    return report
  } catch (error) {
    await recordSyncOutcome(context.db, memberId, {
      status: 'failed',
      error: (error as Error).message,
    })
    if (error instanceof CaldavError) {
      context.logger.warn({ member_id: memberId, reason: error.reason }, error.message)
      return null
    }
    throw error
  }
}
