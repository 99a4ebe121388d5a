import db from '@adonisjs/lucid/services/db'
import { TenantContext } from '#tenancy/tenant_context'
import { chainHash, GENESIS_HASH } from '#audit/audit_hash'

export type AuditVerification =
  | { ok: true; rows: number }
  | { ok: false; rows: number; seq: number; id: string | null; reason: string }

const BATCH = 1_000

/**
 * Walks the bound tenant's audit trail in order and recomputes the hash
 * chain. The first row whose content, link or position does not match is
 * reported.
 */
export class AuditVerifier {
  static async verify(): Promise<AuditVerification> {
    const events = TenantContext.table('audit_events')
    const head = TenantContext.table('audit_chain_head')
    let previousHash = GENESIS_HASH
    let expectedSeq = 1
    let rows = 0

    while (true) {
      const batch = await db.rawQuery(
        `SELECT seq, id, occurred_at, actor_type, actor_id, action, target_type, target_id,
                ip, user_agent, metadata, prev_hash, hash
         FROM ${events} WHERE seq >= ? ORDER BY seq LIMIT ?`,
        [expectedSeq, BATCH]
      )
      for (const row of batch.rows) {
        const seq = Number(row.seq)
        const fail = (reason: string) => ({ ok: false as const, rows, seq, id: row.id, reason })
        if (seq !== expectedSeq) {
          return { ok: false, rows, seq: expectedSeq, id: null, reason: 'row missing' }
        }
        if (row.prev_hash !== previousHash) {
          return fail('link to the previous row broken')
        }
        const recomputed = chainHash(previousHash, {
          seq,
          id: row.id,
          occurredAt: new Date(row.occurred_at).toISOString(),
          actorType: row.actor_type,
          actorId: row.actor_id,
          action: row.action,
          targetType: row.target_type,
          targetId: row.target_id,
          ip: row.ip,
          userAgent: row.user_agent,
          metadata: row.metadata,
        })
        if (recomputed !== row.hash) {
          return fail('content does not match its hash')
        }
        previousHash = row.hash
        expectedSeq += 1
        rows += 1
      }
      if (batch.rows.length < BATCH) {
        break
      }
    }

    const tip = await db.rawQuery(`SELECT seq, hash FROM ${head} WHERE id`)
    const recorded = tip.rows[0]
    if (!recorded) {
      return { ok: false, rows, seq: rows, id: null, reason: 'chain head missing' }
    }
    if (Number(recorded.seq) !== rows || recorded.hash !== previousHash) {
      return {
        ok: false,
        rows,
        seq: Number(recorded.seq),
        id: null,
        reason: 'rows missing at the end',
      }
    }
    return { ok: true, rows }
  }
}
