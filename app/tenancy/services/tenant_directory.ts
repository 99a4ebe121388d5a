import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { PgNotifications } from '#shared/pg_notifications'
import { appDomain } from '#config/app'
import type { TenantStatus } from '#tenancy/models/tenant'

export interface DirectoryTenant {
  id: number
  slug: string
  name: string
  schema: string
  status: TenantStatus
}

interface CacheEntry {
  tenant: DirectoryTenant | null
  expiresAt: number
}

/** Channel on which every tenant change is announced (NOTIFY). */
export const TENANT_CHANGES_CHANNEL = 'tandem_tenants'

/*
 * NOTIFY invalidates at once; the TTLs only bound staleness if the
 * listening connection is down. Unknown hosts are remembered briefly so
 * a flood of random hosts does not turn into a flood of queries.
 */
const KNOWN_TTL_MS = 60_000
const UNKNOWN_TTL_MS = 5_000

/**
 * Maps request hosts to tenants. A known host costs no database round
 * trip; changes made by any process (the CLI, another node) arrive over
 * PostgreSQL LISTEN/NOTIFY and clear the cache.
 */
@inject()
export class TenantDirectory {
  #cache = new Map<string, CacheEntry>()
  #listening?: Promise<unknown>

  constructor(protected notifications: PgNotifications) {}

  /**
   * The tenant served at a host, or null. The bare APP_DOMAIN is never a
   * tenant: it serves central routes only.
   */
  async resolveHost(rawHost: string): Promise<DirectoryTenant | null> {
    const host = rawHost.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '')
    if (host === appDomain) {
      return null
    }
    this.#listening ??= this.notifications.listen(TENANT_CHANGES_CHANNEL, () => this.invalidate())

    const cached = this.#cache.get(host)
    if (cached && cached.expiresAt > Date.now()) {
      return cached.tenant
    }
    const tenant = await this.#lookup(host)
    this.#cache.set(host, {
      tenant,
      expiresAt: Date.now() + (tenant ? KNOWN_TTL_MS : UNKNOWN_TTL_MS),
    })
    return tenant
  }

  invalidate() {
    this.#cache.clear()
  }

  async #lookup(host: string): Promise<DirectoryTenant | null> {
    const suffix = `.${appDomain}`
    const subdomain = host.endsWith(suffix) ? host.slice(0, -suffix.length) : null
    const query = db
      .from('central.tenants as t')
      .select('t.id', 't.slug', 't.name', 't.schema_name', 't.status')

    if (subdomain !== null) {
      if (subdomain.includes('.')) {
        return null
      }
      query.where('t.slug', subdomain)
    } else {
      query
        .join('central.tenant_domains as d', 'd.tenant_id', 't.id')
        .where('d.domain', host)
        .whereNotNull('d.verified_at')
    }

    const row = await query.first()
    if (!row) {
      return null
    }
    return {
      id: Number(row.id),
      slug: row.slug,
      name: row.name,
      schema: row.schema_name,
      status: row.status,
    }
  }
}
