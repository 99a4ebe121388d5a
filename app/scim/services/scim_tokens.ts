import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { TenantContext } from '#tenancy/tenant_context'
import { AuditTrail } from '#audit/services/audit_trail'
import type { RequestOrigin } from '#identity/request_origin'
import type User from '#identity/models/user'
import { ScimTokenNotFoundException } from '#scim/exceptions'

/** `tdmscim_<id>_<secret>`: the id finds the row, the secret proves possession. */
const TOKEN_FORMAT = /^tdmscim_(\d{1,18})_([A-Za-z0-9_-]{43})$/

/*
 * last_used_at tells admins which tokens are alive; writing it on every
 * request would add a write to every call of a bulk import.
 */
const LAST_USED_PRECISION_MS = 60_000

export interface ScimTokenRow {
  id: string
  name: string
  created_by: string | null
  created_at: Date
  expires_at: Date | null
  last_used_at: Date | null
  revoked_at: Date | null
}

/** The token a SCIM request authenticated with. */
export interface ScimCaller {
  tokenId: string
  tokenName: string
}

function digest(secret: string) {
  return createHash('sha256').update(secret).digest()
}

function table() {
  return TenantContext.table('scim_tokens')
}

/**
 * Long-lived bearer tokens identity providers provision with, one or more
 * per workspace. Only a hash is stored; the token is shown once.
 */
export class ScimTokens {
  /** Whether a presented value has the shape of a SCIM token (anything else is refused unread). */
  static isWellFormed(presented: string) {
    return TOKEN_FORMAT.test(presented)
  }

  static async create(
    admin: User,
    input: { name: string; expiresInDays?: number },
    origin: RequestOrigin
  ) {
    const secret = randomBytes(32).toString('base64url')
    return db.transaction(async (trx) => {
      const [row] = await trx
        .insertQuery()
        .table(table())
        .insert({
          name: input.name,
          hash: digest(secret).toString('hex'),
          created_by: admin.id,
          expires_at: input.expiresInDays
            ? DateTime.now().plus({ days: input.expiresInDays }).toJSDate()
            : null,
        })
        .returning('*')
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: admin.id },
        action: 'scim.token_created',
        target: { type: 'scim_token', id: row.id },
        ...origin,
        metadata: { name: input.name, expires_at: row.expires_at },
      })
      return { row: row as ScimTokenRow, token: `tdmscim_${row.id}_${secret}` }
    })
  }

  static list() {
    return db
      .from(table())
      .select('id', 'name', 'created_by', 'created_at', 'expires_at', 'last_used_at', 'revoked_at')
      .orderBy('id', 'desc') as Promise<ScimTokenRow[]>
  }

  /** Revoked at once: the next request with it is refused. Revoking twice changes nothing. */
  static async revoke(admin: User, tokenId: number, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
      const row = await trx.from(table()).where('id', tokenId).forUpdate().first()
      if (!row) {
        throw new ScimTokenNotFoundException()
      }
      if (row.revoked_at) {
        return row as ScimTokenRow
      }
      const [revoked] = await trx
        .from(table())
        .where('id', tokenId)
        .update({ revoked_at: new Date(), revoked_by: admin.id })
        .returning('*')
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: admin.id },
        action: 'scim.token_revoked',
        target: { type: 'scim_token', id: tokenId },
        ...origin,
        metadata: { name: row.name },
      })
      return revoked as ScimTokenRow
    })
  }

  /**
   * The caller a presented token stands for in the bound tenant, or null.
   * A token of another tenant names a row of this tenant's table whose
   * hash does not match.
   */
  static async verify(presented: string): Promise<ScimCaller | null> {
    const parts = TOKEN_FORMAT.exec(presented)
    if (!parts) {
      return null
    }
    const [, id, secret] = parts
    const row = await db.from(table()).where('id', id).first()
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= new Date())) {
      return null
    }
    if (!timingSafeEqual(Buffer.from(row.hash, 'hex'), digest(secret))) {
      return null
    }
    const lastUsed = row.last_used_at?.getTime() ?? 0
    if (Date.now() - lastUsed > LAST_USED_PRECISION_MS) {
      await db.from(table()).where('id', id).update({ last_used_at: new Date() })
    }
    return { tokenId: String(row.id), tokenName: row.name }
  }
}
