import { randomUUID } from 'node:crypto'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { TenantContext } from '#tenancy/tenant_context'
import { chainHash, type AuditRowContent } from '#audit/audit_hash'
import { EventOutbox } from '#events/event_outbox'

export type AuditActor =
  | { type: 'user'; id: number | string }
  | { type: 'system' }
  | { type: 'operator'; id?: string }
  | { type: 'scim_token'; id: string }
  | { type: 'plugin'; id: string }

export interface AuditEntry {
  actor: AuditActor
  action: string
  target?: { type: string; id: number | string }
  ip?: string | null
  userAgent?: string | null
  metadata?: Record<string, unknown>
}

/** Transactions that hold their tenant's audit head lock (until COMMIT). */
const headHolders = new WeakSet<TransactionClientContract>()

/**
 * Appends to the bound tenant's audit trail inside the caller's
 * transaction, so an entry exists exactly when the action it records was
 * committed.
 */
export class AuditTrail {
  static async record(trx: TransactionClientContract, entry: AuditEntry) {
    // Every writer locks the audit head before the event head; the other
    // order deadlocks against them under load. A transaction that already
    // holds the audit head (it recorded an entry first) may record more
    // after appending events: it takes no new lock.
    if (EventOutbox.hasAppended(trx) && !headHolders.has(trx)) {
      throw new Error('Record audit entries before appending domain events in a transaction')
    }
    headHolders.add(trx)
    const head = TenantContext.table('audit_chain_head')
    const events = TenantContext.table('audit_events')

    // Locking the head serializes writers: sequence numbers follow commit
    // order and each row links to the one committed before it.
    const locked = await trx.rawQuery(`SELECT seq, hash FROM ${head} WHERE id FOR UPDATE`)
    const previous = locked.rows[0] as { seq: string; hash: string }

    const row: AuditRowContent = {
      seq: Number(previous.seq) + 1,
      id: randomUUID(),
      occurredAt: new Date().toISOString(),
      actorType: entry.actor.type,
      actorId: 'id' in entry.actor && entry.actor.id !== undefined ? String(entry.actor.id) : null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target ? String(entry.target.id) : null,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent?.slice(0, 512) ?? null,
      metadata: entry.metadata ?? {},
    }
    const hash = chainHash(previous.hash, row)

    await trx.rawQuery(
      `WITH appended AS (
         INSERT INTO ${events}
           (seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id,
            ip, user_agent, metadata, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
         RETURNING seq, hash
       )
       UPDATE ${head} SET seq = appended.seq, hash = appended.hash FROM appended`,
      [
        row.seq,
        row.id,
        row.occurredAt,
        row.actorType,
        row.actorId,
        row.action,
        row.targetType,
        row.targetId,
        row.ip,
        row.userAgent,
        JSON.stringify(row.metadata),
        previous.hash,
        hash,
      ] as RawQueryBindings
    )
    return row
  }
}
