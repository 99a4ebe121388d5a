import type { HttpContext } from '@adonisjs/core/http'
import AuditEvent from '#audit/models/audit_event'
import AuditPolicy from '#audit/policies/audit_policy'
import { listAuditEventsValidator } from '#audit/validators/audit_events'
import { paginateByKey } from '#shared/pagination'

function auditEventResource(event: AuditEvent) {
  return {
    id: event.id,
    seq: Number(event.seq),
    occurred_at: event.occurredAt.toISO(),
    actor: { type: event.actorType, id: event.actorId },
    action: event.action,
    target: event.targetType ? { type: event.targetType, id: event.targetId } : null,
    ip: event.ip,
    user_agent: event.userAgent,
    metadata: event.metadata,
  }
}

export default class AuditEventsController {
  /**
   * Newest first.
   */
  async index({ request, bouncer }: HttpContext) {
    await bouncer.with(AuditPolicy).authorize('view')
    const filters = await request.validateUsing(listAuditEventsValidator, { data: request.qs() })
    const query = AuditEvent.query()
    if (filters.action) {
      query.where('action', filters.action)
    }
    if (filters.actor_id) {
      query.where('actor_id', filters.actor_id)
    }
    if (filters.from) {
      query.where('occurred_at', '>=', filters.from)
    }
    if (filters.to) {
      query.where('occurred_at', '<', filters.to)
    }
    const page = await paginateByKey(query, filters, {
      columns: ['seq'],
      direction: 'desc',
      of: (event) => [Number(event.seq)],
    })
    return { data: page.items.map(auditEventResource), meta: { next_cursor: page.nextCursor } }
  }
}
