import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import { TenantContext } from '#tenancy/tenant_context'

/** Whose key it is: the same key of another user or route is another key. */
export interface IdempotencyScope {
  userId: number
  /** Method and route pattern, e.g. `POST /api/v1/members/invitations`. */
  route: string
  key: string
}

export interface StoredResponse {
  status: number
  /** The JSON body as it was sent, or null for an empty body. */
  body: string | null
}

export type Claim =
  /** This request owns the key; `lease` identifies its row. */
  | { state: 'claimed'; lease: number }
  | { state: 'completed'; response: StoredResponse }
  | { state: 'in_progress' }
  | { state: 'reused' }

/*
 * A completed key is replayed for 24 h. A key in progress for more than
 * 60 s is taken to be abandoned by a dead process and may be taken over.
 * Both rules are evaluated with the database clock, so app servers with
 * skewed clocks agree.
 */
const EXPIRED = `created_at < now() - interval '24 hours'`
const ABANDONED = `status IS NULL AND created_at < now() - interval '60 seconds'`

/** Each round claims, decides, or clears one dead row; more means heavy contention. */
const MAX_ROUNDS = 3

function purpose(scope: IdempotencyScope) {
  const tenant = TenantContext.currentOrFail()
  return `idempotency:${tenant.id}:${scope.userId}:${scope.route}:${scope.key}`
}

/**
 * Idempotency-Key records in the bound tenant's schema. Every statement
 * stands alone (autocommit), so a concurrent request with the same key
 * sees the in-progress row at once.
 */
export class IdempotencyKeys {
  static async claim(scope: IdempotencyScope, fingerprint: string): Promise<Claim> {
    const table = TenantContext.table('idempotency_keys')
    const where = [scope.userId, scope.route, scope.key]

    for (let round = 0; round < MAX_ROUNDS; round++) {
      const inserted = await db.rawQuery(
        `INSERT INTO ${table} (user_id, route, key, fingerprint) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, route, key) DO NOTHING
         RETURNING id`,
        [...where, fingerprint]
      )
      if (inserted.rows.length > 0) {
        return { state: 'claimed', lease: Number(inserted.rows[0].id) }
      }

      const found = await db.rawQuery(
        `SELECT id, fingerprint, status, response,
                ${EXPIRED} AS expired, ${ABANDONED} AS abandoned
         FROM ${table} WHERE user_id = ? AND route = ? AND key = ?`,
        where
      )
      const row = found.rows[0]
      if (!row) {
        // Released by its owner between our two statements.
        continue
      }
      if (row.fingerprint !== fingerprint && !row.expired) {
        return { state: 'reused' }
      }
      if (row.expired || row.abandoned) {
        // Take over by delete and re-insert: the new row id is a new
        // lease, so the dead owner, should it wake up, can neither
        // complete nor release our row. The condition makes concurrent
        // take-overs harmless: only one deletes, all race on the insert.
        await db.rawQuery(`DELETE FROM ${table} WHERE id = ? AND (${EXPIRED} OR (${ABANDONED}))`, [
          row.id,
        ])
        continue
      }
      if (row.status === null) {
        return { state: 'in_progress' }
      }
      const body =
        row.response === null ? null : encryption.decrypt<string>(row.response, purpose(scope))
      if (row.response !== null && body === null) {
        throw new Error(`Stored idempotent response ${row.id} cannot be decrypted with APP_KEY`)
      }
      return { state: 'completed', response: { status: row.status, body } }
    }
    return { state: 'in_progress' }
  }

  /**
   * Stores the answer of the request holding `lease`. The body is
   * encrypted: a create response may carry a secret shown once (an
   * invitation token) that is otherwise only stored hashed.
   */
  static async complete(scope: IdempotencyScope, lease: number, response: StoredResponse) {
    const body =
      response.body === null ? null : encryption.encrypt(response.body, { purpose: purpose(scope) })
    await db.rawQuery(
      `UPDATE ${TenantContext.table('idempotency_keys')} SET status = ?, response = ?
       WHERE id = ? AND status IS NULL`,
      [response.status, body, lease]
    )
  }

  /** Forgets a key whose request failed, so the client can retry it. */
  static async release(lease: number) {
    await db.rawQuery(
      `DELETE FROM ${TenantContext.table('idempotency_keys')} WHERE id = ? AND status IS NULL`,
      [lease]
    )
  }
}
