import type { CacheItem, CacheProvider } from '@node-saml/node-saml'
import type { PluginTables } from '#plugin-api'

/** How long the member has at the IdP between the redirect and the response. */
export const PENDING_REQUEST_TTL_MS = 15 * 60 * 1000

/**
 * The AuthnRequests this SP sent, as node-saml's cache of request ids
 * (InResponseTo), kept in the plugin's `pending_requests` table so any
 * node can take the response. A request is used once: node-saml removes
 * it after a response (valid or not) and `take` makes sure it is gone
 * before a sign-in completes, whoever removed it.
 */
export class PendingSamlRequests implements CacheProvider {
  /** Requests this instance removed, with their return URL. */
  readonly #taken = new Map<string, string | null>()

  constructor(
    private readonly db: PluginTables,
    /** Stored with the next request saved (the login's return_to). */
    private readonly returnUrl: string | null = null
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const now = Date.now()
    await this.db
      .table('pending_requests')
      .where('protocol', 'saml')
      .where('expires_at', '<', new Date(now))
      .delete()
    await this.db.table('pending_requests').insert({
      id: key,
      protocol: 'saml',
      return_url: this.returnUrl,
      expires_at: new Date(now + PENDING_REQUEST_TTL_MS),
    })
    return { value, createdAt: now }
  }

  /** The instant the request was made (node-saml checks its age), if it is still pending. */
  async getAsync(key: string): Promise<string | null> {
    const row = await this.db
      .table('pending_requests')
      .where({ id: key, protocol: 'saml' })
      .where('expires_at', '>', new Date())
      .first('expires_at')
    return row
      ? new Date(new Date(row.expires_at).getTime() - PENDING_REQUEST_TTL_MS).toISOString()
      : null
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (!key) {
      return null
    }
    const [row] = await this.db
      .table('pending_requests')
      .where({ id: key, protocol: 'saml' })
      .delete()
      .returning(['return_url', 'expires_at'])
    if (row && new Date(row.expires_at) > new Date()) {
      this.#taken.set(key, row.return_url ?? null)
    }
    return row ? key : null
  }

  /**
   * Consumes the request a response answers: its return URL, or null
   * when it was never made here, expired, or another response took it.
   */
  async take(key: string): Promise<{ returnUrl: string | null } | null> {
    if (!this.#taken.has(key)) {
      await this.removeAsync(key)
    }
    return this.#taken.has(key) ? { returnUrl: this.#taken.get(key) ?? null } : null
  }
}
