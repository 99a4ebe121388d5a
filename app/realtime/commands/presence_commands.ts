import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { entityId } from '#shared/validation/entity_id'
import { MAX_SNAPSHOT_IDS } from '#presence/presence'
import { statusTextValidator } from '#presence/validators/presence'
import type { PresenceTracker } from '#presence/services/presence_tracker'
import type { ConnectionObserver } from '#realtime/services/realtime_gateway'
import type { SocketIdentity } from '#realtime/socket_client'
import { defineSocketCommand } from '#realtime/socket_command'
import { rooms } from '#realtime/rooms'

const userIds = vine.create(
  strictObject({
    user_ids: vine.array(entityId()).minLength(1).maxLength(MAX_SNAPSHOT_IDS).distinct(),
  })
)

/**
 * Each socket is one presence connection: online when it connects, gone
 * when it closes, `away` or `online` as its heartbeats say.
 */
export function presenceObserver(tracker: PresenceTracker): ConnectionObserver {
  return {
    connected(socket) {
      const { tenant, user } = socket.data as SocketIdentity
      return tracker.connect(tenant.id, user.id, socket.id)
    },
    disconnected(socket) {
      return tracker.disconnect(socket.id)
    },
  }
}

/**
 * Presence over the socket. Like GET /presence, any member may watch any
 * id of their workspace: presence tells only whether someone is around.
 */
export function presenceCommands(tracker: PresenceTracker) {
  return [
    defineSocketCommand({
      event: 'presence:heartbeat',
      concurrent: true,
      validator: vine.create(
        strictObject({ status: vine.enum(['online', 'away'] as const).optional() })
      ),
      handle({ socket }, { status }) {
        tracker.heartbeat(socket.id, status)
        return null
      },
    }),
    defineSocketCommand({
      event: 'presence:subscribe',
      validator: userIds,
      async handle({ socket, tenant }, { user_ids: ids }) {
        await socket.join(ids.map((id) => rooms.presence(tenant.id, id)))
        return tracker.snapshot(tenant.id, ids)
      },
    }),
    defineSocketCommand({
      event: 'presence:unsubscribe',
      validator: userIds,
      handle({ socket, tenant }, { user_ids: ids }) {
        for (const id of ids) {
          void socket.leave(rooms.presence(tenant.id, id))
        }
        return null
      },
    }),
    defineSocketCommand({
      event: 'presence:status',
      validator: statusTextValidator,
      handle: ({ tenant, user }, input) =>
        tracker.setText(tenant.id, user.id, input.text, input.expires_at ?? null),
    }),
  ]
}
