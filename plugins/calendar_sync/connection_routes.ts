import { type PluginContext, PluginError, type PluginRoute, reply } from '#plugin-api'
import { CaldavError, type CaldavFailure, TaskCalendar } from './caldav_calendar.js'
import { connectionValidator } from './connection_validator.js'
import { connectionOf, deleteConnection, saveConnection } from './connections.js'
import { pluginFetch } from './plugin_fetch.js'
import { memberOf, notFound } from './plugin_errors.js'
import type { CalendarSyncSettings } from './settings.js'
import { syncedItemsOf } from './synced_items.js'
import { requestSync } from './sync_requests.js'

type Route = PluginRoute<CalendarSyncSettings>

/** Stable codes for what the member can fix in what they typed. */
const CONNECT_ERRORS: Record<CaldavFailure, string> = {
  unauthorized: 'E_CALDAV_UNAUTHORIZED',
  unreachable: 'E_CALDAV_UNREACHABLE',
  no_task_calendar: 'E_CALDAV_NO_TASK_CALENDAR',
  calendar_not_found: 'E_CALDAV_CALENDAR_NOT_FOUND',
  rejected: 'E_CALDAV_REJECTED',
}

export const connectionRoutes: Route[] = [
  {
    method: 'get',
    path: '/connection',
    async handler(context, request) {
      const connection = await connectionOf(context.db, memberOf(request).id)
      if (!connection) {
        throw notFound()
      }
      const items = await syncedItemsOf(context.db, connection.member_id)
      return {
        server_url: connection.server_url,
        username: connection.username,
        app_password: '********',
        calendar_url: connection.calendar_url,
        calendar_name: connection.calendar_name,
        connected_at: iso(connection.connected_at),
        last_sync_at: iso(connection.last_sync_at),
        last_sync_status: connection.last_sync_status,
        last_sync_error: connection.last_sync_error,
        synced_tasks: items.length,
      }
    },
  },
  {
    method: 'put',
    path: '/connection',
    async handler(context, request) {
      const member = memberOf(request)
      const input = await connectionValidator.validate(request.body)
      const serverUrl = input.server_url ?? context.settings.default_server_url
      if (!serverUrl) {
        throw new PluginError(
          'E_VALIDATION',
          'Give the server_url: this workspace has no default CalDAV server',
          422,
          'server_url'
        )
      }
      const calendar = await openOrExplain(context, {
        serverUrl,
        username: input.username,
        password: input.app_password,
        calendarUrl: input.calendar_url,
      })
      await saveConnection(context.db, {
        member_id: member.id,
        server_url: serverUrl,
        username: input.username,
        password_encrypted: context.secrets.encrypt(input.app_password),
        calendar_url: calendar.url,
        calendar_name: calendar.name,
        connected_at: new Date(),
      })
      await requestSync(context, member.id)
      return { server_url: serverUrl, calendar_url: calendar.url, calendar_name: calendar.name }
    },
  },
  {
    // ?remove_items=true also deletes the to-dos Tandem put on the calendar.
    method: 'delete',
    path: '/connection',
    async handler(context, request) {
      const member = memberOf(request)
      const connection = await connectionOf(context.db, member.id)
      if (!connection) {
        throw notFound()
      }
      if (['true', '1'].includes(String(request.query.remove_items))) {
        await removeSyncedObjects(context, connection)
      }
      await deleteConnection(context.db, member.id)
      return reply({ status: 204 })
    },
  },
  {
    method: 'post',
    path: '/sync',
    async handler(context, request) {
      const member = memberOf(request)
      if (!(await connectionOf(context.db, member.id))) {
        throw new PluginError('E_NOT_CONNECTED', 'Connect a calendar first (PUT /connection)', 409)
      }
      await requestSync(context, member.id)
      return reply({ status: 202, body: { data: { queued: true } } })
    },
  },
]

async function openOrExplain(
  context: PluginContext<CalendarSyncSettings>,
  credentials: Parameters<typeof TaskCalendar.open>[0]
) {
  try {
    return await TaskCalendar.open(credentials, pluginFetch(context))
  } catch (error) {
    if (error instanceof CaldavError) {
      throw new PluginError(CONNECT_ERRORS[error.reason], error.message, 422)
    }
    throw error
  }
}

/**
 * Disconnecting with removal needs the calendar once more; when it cannot
 * be reached the member is told, and nothing is disconnected, so they can
 * retry or disconnect without removal.
 */
async function removeSyncedObjects(
  context: PluginContext<CalendarSyncSettings>,
  connection: NonNullable<Awaited<ReturnType<typeof connectionOf>>>
) {
  const password = context.secrets.decrypt(connection.password_encrypted)
  if (password === null) {
    throw new PluginError('E_CALDAV_UNAUTHORIZED', 'The stored password can no longer be read', 422)
  }
  const calendar = await openOrExplain(context, {
    serverUrl: connection.server_url,
    username: connection.username,
    password,
    calendarUrl: connection.calendar_url,
  })
  for (const item of await syncedItemsOf(context.db, connection.member_id)) {
    await calendar.remove(item.object_url)
  }
}

function iso(value: Date | string | null) {
  return value === null ? null : new Date(value).toISOString()
}
