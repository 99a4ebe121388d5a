import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { PgNotifications } from '#shared/pg_notifications'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import PluginInstallation from '#plugins/models/plugin_installation'
import type { PluginPermission } from '#plugins/plugin_api'
import { PluginSettings, type Settings } from '#plugins/services/plugin_settings'

/** What the runtime needs to know about a plugin in a tenant, on every event and request. */
export interface ActiveInstallation {
  pluginId: string
  version: string
  enabled: boolean
  permissions: ReadonlySet<PluginPermission>
  settings: Settings
  consecutiveFailures: number
}

/** Announces installation changes of a tenant: `<tenant id>`. */
const CHANGES_CHANNEL = 'tandem_plugin_installations'
/** Only bounds staleness while the LISTEN connection is down. */
const TTL_MS = 60_000

/**
 * The installations of each tenant, cached per process: event delivery,
 * plugin routes and hooks ask on every call and must not pay a query
 * for it. Every change is announced with NOTIFY in the transaction that
 * makes it, so all processes forget the tenant's entry at COMMIT.
 */
@inject()
export class PluginInstallations {
  #cache = new Map<number, { installations: Map<string, ActiveInstallation>; until: number }>()
  /**
   * Bumped by every invalidation: a read that began before a change must
   * not store what it read once the change has been announced.
   */
  #generations = new Map<number, number>()
  #epoch = 0
  #listening?: Promise<unknown>

  constructor(protected notifications: PgNotifications) {}

  /** The bound tenant's installations, by plugin id. */
  async ofTenant(tenant: BoundTenant = TenantContext.currentOrFail()) {
    this.#listening ??= this.notifications.listen(CHANGES_CHANNEL, (payload) =>
      payload ? this.forget(Number(payload)) : this.#forgetAll()
    )
    const cached = this.#cache.get(tenant.id)
    if (cached && cached.until > Date.now()) {
      return cached.installations
    }
    const generation = this.#generationOf(tenant.id)
    const rows = await TenantContext.run(tenant, () => PluginInstallation.all())
    const installations = new Map(
      rows.map((row) => [
        row.pluginId,
        {
          pluginId: row.pluginId,
          version: row.version,
          enabled: row.enabled,
          permissions: new Set(row.grantedPermissions),
          settings: PluginSettings.open(tenant.id, row.pluginId, row.settings),
          consecutiveFailures: row.consecutiveFailures,
        },
      ])
    )
    if (this.#generationOf(tenant.id) === generation) {
      this.#cache.set(tenant.id, { installations, until: Date.now() + TTL_MS })
    }
    return installations
  }

  /** The installation if the plugin is installed and enabled in the bound tenant. */
  async enabled(pluginId: string, tenant?: BoundTenant) {
    const installations = await this.ofTenant(tenant)
    const installation = installations.get(pluginId)
    return installation?.enabled ? installation : undefined
  }

  /**
   * Call inside the transaction that changes an installation, before it
   * appends domain events: notifications arrive in the order they were
   * sent, so every process forgets the stale entry before a drain woken
   * by those events reads it.
   */
  static announceChange(trx: TransactionClientContract) {
    const tenant = TenantContext.currentOrFail()
    return trx.rawQuery('SELECT pg_notify(?, ?)', [CHANGES_CHANNEL, String(tenant.id)])
  }

  /** Forgets a tenant at once in this process (the NOTIFY arrives a moment later). */
  forget(tenantId: number) {
    this.#cache.delete(tenantId)
    this.#generations.set(tenantId, (this.#generations.get(tenantId) ?? 0) + 1)
  }

  #forgetAll() {
    this.#cache.clear()
    this.#epoch += 1
  }

  #generationOf(tenantId: number) {
    return `${this.#epoch}:${this.#generations.get(tenantId) ?? 0}`
  }
}
