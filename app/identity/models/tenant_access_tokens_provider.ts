import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import { AsyncLocalStorage } from 'node:async_hooks'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'

/*
 * last_used_at is informational; writing it on every request would add a
 * write round trip to every authenticated call.
 */
const LAST_USED_PRECISION_MS = 60_000

/**
 * Opaque access tokens stored hashed in the bound tenant's schema.
 *
 * A token minted on tenant A is looked up in tenant B's table when
 * presented on B's host, where its id and hash do not match: it is
 * rejected without any tenant check in the guard.
 */
export class TenantAccessTokensProvider<
  Model extends LucidModel,
> extends DbAccessTokensProvider<Model> {
  constructor(options: ConstructorParameters<typeof DbAccessTokensProvider<Model>>[0]) {
    super(options)
    const tableName = options.table ?? 'auth_access_tokens'
    Object.defineProperty(this, 'table', {
      configurable: true,
      get: () => TenantContext.table(tableName),
    })
  }

  #transaction = new AsyncLocalStorage<TransactionClientContract>()

  /**
   * Runs token operations inside the caller's transaction, so issuing or
   * revoking tokens commits together with the audit entry recording it.
   */
  within<T>(trx: TransactionClientContract, work: () => Promise<T>): Promise<T> {
    return this.#transaction.run(trx, work)
  }

  async getDb() {
    return this.#transaction.getStore() ?? super.getDb()
  }

  /**
   * Verifies the secret before writing anything, and refreshes
   * last_used_at at most once a minute.
   */
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const parts = AccessToken.decode(this.prefix, tokenValue.release())
    if (!parts) {
      return null
    }
    const client = await this.getDb()
    const row = await client
      .query()
      .from(this.table)
      .where({ id: parts.identifier, type: this.type })
      .first()
    if (!row) {
      return null
    }
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(parts.secret) || token.isExpired()) {
      return null
    }
    const lastUsed = token.lastUsedAt?.getTime() ?? 0
    if (Date.now() - lastUsed > LAST_USED_PRECISION_MS) {
      await client.from(this.table).where({ id: row.id }).update({ last_used_at: new Date() })
    }
    return token
  }
}
