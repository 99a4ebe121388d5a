import type { StoredEvent } from '#events/domain_event'
import type { Subscriber } from '#events/event_subscribers'
import type { LiveUpdates } from '#realtime/services/live_updates'
import { rooms } from '#realtime/rooms'
import { TenantContext } from '#tenancy/tenant_context'

/**
 * The shape every live domain event has on a socket (event name = the
 * domain type, e.g. `task.created`) and on the SSE stream. Delivery is
 * at least once: clients drop an `id` they have seen.
 */
export function liveEvent(event: StoredEvent) {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    actor_id: event.actorId === null ? null : Number(event.actorId),
    data: event.payload,
  }
}

type Payload = Record<string, any>

/**
 * Pushes work and membership events from the outbox to the rooms that
 * show them: a project's room for everything in the project, a user's
 * room for what concerns them personally (assigned, mentioned, added or
 * removed), and session ends to the sockets they close.
 */
export function liveEventsProjector(live: LiveUpdates): Subscriber {
  return {
    name: 'realtime.live_updates',
    types: ['project.*', 'task.*', 'comment.*', 'member.*', 'session.*'],
    maxAttempts: 3,
    timeoutMs: 5_000,
    async handle(event) {
      const payload = event.payload as Payload
      const message = liveEvent(event)
      switch (event.type) {
        case 'member.deactivated':
        case 'member.role_changed':
        case 'member.reactivated':
          live.refreshMember(payload.member_id)
          live.toUsers([payload.member_id], event.type, message)
          return
        case 'session.revoked':
          live.revokeToken(payload.token_id)
          return
      }
      if (typeof payload.project_id !== 'number') {
        return
      }
      live.toProject(payload.project_id, event.type, message)
      if (typeof payload.from_project_id === 'number') {
        live.toProject(payload.from_project_id, event.type, message)
      }
      const personal = personallyConcerned(event.type, payload)
      if (personal.length > 0) {
        live.toUsers(personal, event.type, message)
      }
      if (event.type === 'project.member_removed') {
        // Their sockets rejoin if they still may read the project.
        const room = rooms.project(TenantContext.currentOrFail().id, payload.project_id)
        live.leave(payload.user_id, room)
      }
    },
  }
}

function personallyConcerned(type: string, payload: Payload): number[] {
  switch (type) {
    case 'task.assigned':
      return payload.assignee_ids
    case 'comment.posted':
    case 'comment.edited':
      return payload.mention_ids
    case 'project.member_added':
    case 'project.member_removed':
    case 'project.member_role_changed':
      return [payload.user_id]
    default:
      return []
  }
}
