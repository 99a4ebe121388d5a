import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail, type AuditActor } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import type { DomainEvent } from '#events/domain_event'
import { TenantContext } from '#tenancy/tenant_context'
import { withTimeout } from '#shared/with_timeout'
import type { AnyPluginDefinition, PluginContext, PluginPermission } from '#plugins/plugin_api'
import PluginInstallation from '#plugins/models/plugin_installation'
import {
  PluginAlreadyInstalledException,
  PluginLifecycleFailedException,
  PluginNotInstalledException,
  PluginPermissionNotRequestedException,
} from '#plugins/exceptions'
import {
  PluginDisabled,
  PluginEnabled,
  PluginInstalled,
  PluginSettingsChanged,
  PluginUninstalled,
  PluginUpgraded,
} from '#plugins/events'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { PluginInstallations } from '#plugins/services/plugin_installations'
import { PluginSettings, type Settings } from '#plugins/services/plugin_settings'
import { PluginContexts } from '#plugins/services/plugin_contexts'
import { PluginJobs } from '#plugins/services/plugin_jobs'
import { PluginMigrator } from '#plugins/services/plugin_migrator'
import { startDeliveryFromNow, pluginSubscriberName } from '#plugins/services/plugin_event_delivery'
import { DEFAULT_TIMEOUT_MS } from '#plugins/services/plugin_runner'

/** Who installs or changes a plugin: an admin in a request, or an operator on the CLI. */
export type PluginActor = { user: User; origin?: RequestOrigin } | { operator: true }

export interface InstallOptions {
  /** What the admin grants: the plugin's requested permissions or fewer (default: all of them). */
  permissions?: PluginPermission[]
  settings?: Settings
  enabled?: boolean
}

function auditActor(actor: PluginActor): AuditActor {
  return 'user' in actor ? { type: 'user', id: actor.user.id } : { type: 'operator' }
}

/** What a change did: nothing (no event), or an event the audit entry is named after. */
interface ChangeOutcome {
  installation: PluginInstallation
  event?: DomainEvent
  metadata?: Record<string, unknown>
}

function actorId(actor: PluginActor) {
  return 'user' in actor ? actor.user.id : null
}

/**
 * Installing, configuring, enabling, disabling, upgrading and removing
 * plugins in the bound tenant. Each change is one transaction with its
 * audit entry and domain event; the plugin's migrations and lifecycle
 * callback run inside it, so a plugin that fails to install leaves
 * nothing behind. Every process's installation cache hears of it at COMMIT.
 */
@inject()
export class PluginInstaller {
  constructor(
    protected registry: PluginRegistry,
    protected installations: PluginInstallations,
    protected contexts: PluginContexts,
    protected jobs: PluginJobs
  ) {}

  async install(actor: PluginActor, pluginId: string, options: InstallOptions = {}) {
    const plugin = this.registry.get(pluginId)
    const permissions = options.permissions ?? plugin.permissions
    for (const permission of permissions) {
      if (!plugin.permissions.includes(permission)) {
        throw new PluginPermissionNotRequestedException(permission)
      }
    }
    const settings = await PluginSettings.validate(plugin, options.settings ?? {})
    const tenant = TenantContext.currentOrFail()
    const enabled = options.enabled ?? true

    return this.#change(actor, plugin.id, async (trx) => {
      if (await this.#locked(trx, plugin.id)) {
        throw new PluginAlreadyInstalledException(plugin.id)
      }
      const installation = await PluginInstallation.create(
        {
          pluginId: plugin.id,
          version: plugin.version,
          enabled,
          grantedPermissions: [...new Set(permissions)],
          settings: PluginSettings.seal(tenant.id, plugin.id, settings),
          installedBy: actorId(actor),
          disabledReason: enabled ? null : 'admin',
          consecutiveFailures: 0,
        },
        { client: trx }
      )
      const migrations = await this.#step(plugin, 'migrate', () => PluginMigrator.run(trx, plugin))
      await startDeliveryFromNow(trx, plugin.id)
      await this.#lifecycle(trx, plugin, installation, settings, 'install')
      if (enabled) {
        await this.#lifecycle(trx, plugin, installation, settings, 'enable')
      }
      return {
        installation,
        metadata: { permissions, enabled, migrations },
        event: new PluginInstalled(
          { plugin_id: plugin.id, version: plugin.version, permissions },
          actorId(actor)
        ),
      }
    })
  }

  async updateSettings(actor: PluginActor, pluginId: string, patch: Settings) {
    return this.#changeInstalled(actor, pluginId, async (trx, plugin, installation, current) => {
      const settings = await PluginSettings.merge(plugin, current, patch)
      installation.settings = PluginSettings.seal(
        TenantContext.currentOrFail().id,
        plugin.id,
        settings
      )
      await installation.useTransaction(trx).save()
      // Names only: values may be secrets.
      const keys = Object.keys(patch).sort()
      return {
        metadata: { keys },
        event: new PluginSettingsChanged(
          { plugin_id: plugin.id, version: installation.version, keys },
          actorId(actor)
        ),
      }
    })
  }

  async setEnabled(actor: PluginActor, pluginId: string, enabled: boolean) {
    return this.#changeInstalled(actor, pluginId, async (trx, plugin, installation, settings) => {
      if (installation.enabled === enabled) {
        return {}
      }
      if (enabled) {
        await startDeliveryFromNow(trx, plugin.id)
      }
      await this.#lifecycle(trx, plugin, installation, settings, enabled ? 'enable' : 'disable')
      installation.merge({
        enabled,
        disabledReason: enabled ? null : 'admin',
        consecutiveFailures: 0,
      })
      await installation.useTransaction(trx).save()
      const ref = { plugin_id: plugin.id, version: installation.version }
      const Event = enabled ? PluginEnabled : PluginDisabled
      return { event: new Event(ref, actorId(actor)) }
    })
  }

  /**
   * Removes the plugin. With `purge`, its tables, store and migration
   * ledger go too; without, they stay for a later install (settings,
   * which hold secrets, are always removed).
   */
  async uninstall(actor: PluginActor, pluginId: string, options: { purge: boolean }) {
    await this.#changeInstalled(actor, pluginId, async (trx, plugin, installation, settings) => {
      await this.#lifecycle(trx, plugin, installation, settings, 'uninstall', options)
      const ofPlugin = (table: string, column = 'plugin_id', value = plugin.id) =>
        trx.from(TenantContext.table(table)).where(column, value).delete()
      if (options.purge) {
        await PluginMigrator.purge(trx, plugin)
        await ofPlugin('plugin_store')
        await ofPlugin('plugin_metrics')
      }
      await ofPlugin('event_subscriber_cursors', 'subscriber', pluginSubscriberName(plugin.id))
      await installation.useTransaction(trx).delete()
      return {
        metadata: { purge: options.purge },
        event: new PluginUninstalled(
          { plugin_id: plugin.id, version: installation.version, purged: options.purge },
          actorId(actor)
        ),
      }
    })
  }

  /** Runs the migrations the catalog's version adds, and records that version. */
  async upgrade(actor: PluginActor, pluginId: string) {
    let applied: string[] = []
    const installation = await this.#changeInstalled(
      actor,
      pluginId,
      async (trx, plugin, current) => {
        const from = current.version
        applied = await this.#step(plugin, 'migrate', () => PluginMigrator.run(trx, plugin))
        if (from === plugin.version && applied.length === 0) {
          return {}
        }
        current.version = plugin.version
        await current.useTransaction(trx).save()
        return {
          metadata: { from_version: from, to_version: plugin.version, migrations: applied },
          event: new PluginUpgraded(
            { plugin_id: plugin.id, version: plugin.version, from_version: from },
            actorId(actor)
          ),
        }
      }
    )
    return { installation, migrations: applied }
  }

  /**
   * A change of an installed plugin: its installation locked, its
   * settings decrypted for the lifecycle callback.
   */
  #changeInstalled(
    actor: PluginActor,
    pluginId: string,
    work: (
      trx: TransactionClientContract,
      plugin: AnyPluginDefinition,
      installation: PluginInstallation,
      settings: Settings
    ) => Promise<Omit<ChangeOutcome, 'installation'>>
  ) {
    const plugin = this.registry.get(pluginId)
    return this.#change(actor, plugin.id, async (trx) => {
      const installation = await this.#locked(trx, plugin.id)
      if (!installation) {
        throw new PluginNotInstalledException(plugin.id)
      }
      const tenantId = TenantContext.currentOrFail().id
      const settings = PluginSettings.open(tenantId, plugin.id, installation.settings)
      return { installation, ...(await work(trx, plugin, installation, settings)) }
    })
  }

  /**
   * One transaction: the change, then, if it changed anything, the
   * announcement to every process's cache (before the events it wakes
   * drains with), the audit entry (named after the event) and the event.
   */
  async #change(
    actor: PluginActor,
    pluginId: string,
    work: (trx: TransactionClientContract) => Promise<ChangeOutcome>
  ) {
    const tenant = TenantContext.currentOrFail()
    const installation = await db.transaction(async (trx) => {
      const { installation: changed, event, metadata } = await work(trx)
      if (event) {
        await PluginInstallations.announceChange(trx)
        await AuditTrail.record(trx, {
          actor: auditActor(actor),
          action: event.type,
          target: { type: 'plugin', id: pluginId },
          ip: 'user' in actor ? actor.origin?.ip : null,
          userAgent: 'user' in actor ? actor.origin?.userAgent : null,
          metadata,
        })
        await EventOutbox.append(trx, [event])
      }
      return changed
    })
    this.installations.forget(tenant.id)
    return installation
  }

  #locked(trx: TransactionClientContract, pluginId: string) {
    return PluginInstallation.query({ client: trx })
      .where('plugin_id', pluginId)
      .forUpdate()
      .first()
  }

  async #step<T>(plugin: AnyPluginDefinition, step: string, work: () => Promise<T>) {
    try {
      return await work()
    } catch (error) {
      throw new PluginLifecycleFailedException(plugin.id, step, error)
    }
  }

  /** A lifecycle callback, inside the change's transaction and under the plugin's time limit. */
  async #lifecycle(
    trx: TransactionClientContract,
    plugin: AnyPluginDefinition,
    installation: PluginInstallation,
    settings: Settings,
    step: 'install' | 'enable' | 'disable' | 'uninstall',
    options: { purge: boolean } = { purge: false }
  ) {
    const callback = plugin.lifecycle?.[step] as
      ((context: PluginContext<any>, options: { purge: boolean }) => Promise<void>) | undefined
    if (!callback) {
      return
    }
    const timeoutMs = plugin.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS
    await this.#step(plugin, step, () =>
      withTimeout(timeoutMs, (signal) =>
        callback(
          this.contexts.make({
            plugin,
            installation: {
              settings,
              permissions: new Set(installation.grantedPermissions),
            },
            signal,
            jobs: this.jobs.forPlugin(plugin),
            client: trx,
          }),
          options
        )
      )
    )
  }
}
