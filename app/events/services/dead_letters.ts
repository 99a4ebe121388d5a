import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import Tenant from '#tenancy/models/tenant'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantNotFoundException } from '#tenancy/exceptions'
import { EventSubscribers } from '#events/event_subscribers'
import { storedEventFromRow } from '#events/domain_event'

export interface DeadLetter {
  /** `<tenant slug>/<id>`: what `events:retry` takes. */
  ref: string
  tenant: string
  subscriber: string
  eventId: string
  type: string
  seq: number
  attempts: number
  lastError: string
  failedAt: string
}

/**
 * Events whose delivery to a subscriber gave up, for operators.
 */
@inject()
export class DeadLetters {
  constructor(protected subscribers: EventSubscribers) {}

  async list(slug?: string): Promise<DeadLetter[]> {
    const query = Tenant.query().whereIn('status', ['active', 'suspended']).orderBy('slug')
    if (slug) {
      query.where('slug', slug)
    }
    const tenants = await query
    if (slug && tenants.length === 0) {
      throw new TenantNotFoundException(slug)
    }
    const letters: DeadLetter[] = []
    for (const tenant of tenants) {
      const { rows } = await db.rawQuery(
        `SELECT d.id, d.subscriber, d.attempts, d.last_error, d.failed_at, e.id AS event_id, e.type, e.seq
         FROM ??.event_dead_letters d JOIN ??.domain_events e ON e.seq = d.event_seq
         WHERE d.retried_at IS NULL ORDER BY d.id`,
        [tenant.schemaName, tenant.schemaName]
      )
      for (const row of rows) {
        letters.push({
          ref: `${tenant.slug}/${row.id}`,
          tenant: tenant.slug,
          subscriber: row.subscriber,
          eventId: row.event_id,
          type: row.type,
          seq: Number(row.seq),
          attempts: row.attempts,
          lastError: row.last_error,
          failedAt: new Date(row.failed_at).toISOString(),
        })
      }
    }
    return letters
  }

  /**
   * Delivers a dead-lettered event to its subscriber again, now. Throws
   * (and records the new error) if it fails again.
   */
  async retry(ref: string) {
    const [slug, id] = ref.split('/')
    const tenant = await Tenant.findBy('slug', slug ?? '')
    if (!tenant || !/^\d+$/.test(id ?? '')) {
      throw new Error(`Unknown dead letter "${ref}" (expected <tenant>/<id>, see events:failed)`)
    }
    const bound = { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }
    return TenantContext.run(bound, async () => {
      const letters = TenantContext.table('event_dead_letters')
      const { rows } = await db.rawQuery(
        `SELECT d.subscriber, e.* FROM ${letters} d
         JOIN ${TenantContext.table('domain_events')} e ON e.seq = d.event_seq
         WHERE d.id = ? AND d.retried_at IS NULL`,
        [Number(id)]
      )
      const row = rows[0]
      if (!row) {
        throw new Error(`No pending dead letter "${ref}"`)
      }
      const subscriber = this.subscribers.get(row.subscriber)
      if (!subscriber) {
        throw new Error(`Subscriber "${row.subscriber}" is not registered in this process`)
      }
      const event = storedEventFromRow(row, tenant.id)
      try {
        await subscriber.handle(event)
      } catch (error) {
        await db.rawQuery(
          `UPDATE ${letters} SET attempts = attempts + 1, last_error = ? WHERE id = ?`,
          [(error as Error).message, Number(id)]
        )
        throw error
      }
      await db.rawQuery(`UPDATE ${letters} SET retried_at = now() WHERE id = ?`, [Number(id)])
      return { subscriber: subscriber.name, event }
    })
  }
}
