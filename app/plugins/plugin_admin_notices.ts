import User from '#identity/models/user'
import type { Subscriber } from '#events/event_subscribers'
import type { LiveUpdates } from '#realtime/services/live_updates'
import { liveEvent } from '#realtime/live_events_projector'

/**
 * Tells the tenant's admins, live (sockets and SSE), when the runtime
 * turned a plugin off after repeated failures; the audit trail and the
 * plugin's `disabled_reason` keep the record.
 */
export function pluginAdminNotices(live: LiveUpdates): Subscriber {
  return {
    name: 'plugins.admin_notices',
    types: ['plugin.auto_disabled'],
    async handle(event) {
      const admins = await User.query()
        .whereIn('role', ['owner', 'admin'])
        .where('status', 'active')
        .select('id')
      live.toUsers(
        admins.map((admin) => admin.id),
        event.type,
        liveEvent(event)
      )
    },
  }
}
