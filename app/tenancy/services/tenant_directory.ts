import pg from 'pg'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
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
const RECONNECT_DELAY_MS = 1_000

/**
 * Maps request hosts to tenants. A known host costs no database round
 * trip; changes made by any process (the CLI, another node) arrive over
 * PostgreSQL LISTEN/NOTIFY and clear the cache.
 */
export class TenantDirectory {
  #cache = new Map<string, CacheEntry>()
  #listener?: pg.Client
  #listening?: Promise<void>
  #closed = false

  /**
   * The tenant served at a host, or null. The bare APP_DOMAIN is never a
   * tenant: it serves central routes only.
   */
  async resolveHost(rawHost: string): Promise<DirectoryTenant | null> {
    const host = rawHost.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '')
    if (host === appDomain) {
      return null
    }
    void this.#listen()

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

  async close() {
    this.#closed = true
    await this.#listener?.end().catch(() => {})
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

  #listen(): Promise<void> {
    if (this.#listening || this.#closed) {
      return this.#listening ?? Promise.resolve()
    }
    this.#listening = this.#connectListener().catch((error) => {
      logger.warn({ err: error }, 'tenant change listener unavailable; relying on cache TTL')
      this.#scheduleReconnect()
    })
    return this.#listening
  }

  async #connectListener() {
    const client = new pg.Client({ connectionString: env.get('DATABASE_URL') })
    client.on('notification', () => this.invalidate())
    client.on('error', () => this.#scheduleReconnect())
    await client.connect()
    await client.query(`LISTEN ${TENANT_CHANGES_CHANNEL}`)
    this.#listener = client
    // Anything that changed while we were not listening.
    this.invalidate()
  }

  #scheduleReconnect() {
    const previous = this.#listener
    this.#listener = undefined
    previous?.end().catch(() => {})
    if (this.#closed) {
      return
    }
    setTimeout(() => {
      this.#listening = undefined
      void this.#listen()
    }, RECONNECT_DELAY_MS).unref()
  }
}
