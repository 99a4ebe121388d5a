import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { TenantContext } from '#tenancy/tenant_context'
import type { DomainEvent } from '#events/domain_event'

/** Channel on which committed events are announced: `<tenant id>:<last seq>`. */
export const EVENTS_CHANNEL = 'tandem_events'

/** Transactions that hold the event head lock. */
const appended = new WeakSet<TransactionClientContract>()

/**
 * Writes domain events to the bound tenant's outbox inside the caller's
 * transaction: they exist exactly when the change they describe was
 * committed, and the NOTIFY that wakes the dispatcher is delivered at
 * COMMIT too.
 */
export class EventOutbox {
  /**
   * Whether the transaction has appended events, and so holds the event
   * head's lock: the audit trail must lock its own head before it (see
   * AuditTrail.record), or two writers can deadlock.
   */
  static hasAppended(trx: TransactionClientContract) {
    return appended.has(trx)
  }

  static async append(trx: TransactionClientContract, events: DomainEvent[]) {
    if (events.length === 0) {
      return
    }
    const tenant = TenantContext.currentOrFail()
    appended.add(trx)
    const head = TenantContext.table('domain_event_head')
    const log = TenantContext.table('domain_events')

    // Advancing the head locks it until COMMIT, which gives sequence
    // numbers in commit order (a transaction that commits later always
    // gets higher ones). Lock, insert and NOTIFY go in one statement: one
    // round trip while the tenant's head is held.
    const rows = events.map((event, index) => [
      index + 1,
      event.id,
      event.type,
      event.version,
      event.actorId,
      event.occurredAt.toISOString(),
      JSON.stringify(event.payload),
    ])
    await trx.rawQuery(
      `WITH advanced AS (
         UPDATE ${head} SET seq = seq + ? WHERE id RETURNING seq
       ), appended AS (
         INSERT INTO ${log} (seq, id, type, version, actor_id, occurred_at, payload)
         SELECT advanced.seq - ? + e.ord, e.id, e.type, e.version, e.actor_id,
                e.occurred_at, e.payload
         FROM advanced, (VALUES ${rows
           .map(() => '(?::int, ?::uuid, ?, ?::int, ?, ?::timestamptz, ?::jsonb)')
           .join(', ')}) AS e (ord, id, type, version, actor_id, occurred_at, payload)
       )
       SELECT pg_notify(?, ? || ':' || advanced.seq) FROM advanced`,
      [
        events.length,
        events.length,
        ...rows.flat(),
        EVENTS_CHANNEL,
        String(tenant.id),
      ] as RawQueryBindings
    )
  }
}
