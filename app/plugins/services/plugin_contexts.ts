import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import encryption from '@adonisjs/core/services/encryption'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { LiveUpdates } from '#realtime/services/live_updates'
import { TenantContext } from '#tenancy/tenant_context'
import { tenantBaseUrl } from '#config/app'
import type { AnyPluginDefinition, PluginContext, PluginJobs } from '#plugins/plugin_api'
import type { ActiveInstallation } from '#plugins/services/plugin_installations'
import { PluginPermissionDeniedException } from '#plugins/exceptions'
import { ScopedCoreApi } from '#plugins/context/scoped_core_api'
import { pluginStore } from '#plugins/context/plugin_store'
import { pluginTables } from '#plugins/context/plugin_tables'
import { pluginHttp } from '#plugins/context/plugin_http'
import { pluginAudit } from '#plugins/context/plugin_audit'
import { pluginThrottle } from '#plugins/context/plugin_throttle'
import { MemberAdministration } from '#identity/services/member_administration'

export interface ContextOptions {
  plugin: AnyPluginDefinition
  installation: Pick<ActiveInstallation, 'settings' | 'permissions'>
  signal: AbortSignal
  jobs: PluginJobs
  /** Lifecycle callbacks run inside the transaction that installs or removes the plugin. */
  client?: QueryClientContract
}

/**
 * Makes the context a plugin receives for one piece of work in the bound
 * tenant: everything it may touch, and nothing else.
 */
@inject()
export class PluginContexts {
  #administration: MemberAdministration

  constructor(protected live: LiveUpdates) {
    this.#administration = new MemberAdministration(live)
  }

  make({ plugin, installation, signal, jobs, client }: ContextOptions): PluginContext<any> {
    const tenant = TenantContext.currentOrFail()
    const permissions = installation.permissions
    const secretsPurpose = `plugin-secret:${tenant.id}:${plugin.id}`
    const event = (name: string) => `plugin:${plugin.id}:${name}`
    return {
      plugin: { id: plugin.id, version: plugin.version },
      tenant: { id: tenant.id, slug: tenant.slug },
      logger: logger.child({ plugin: plugin.id, tenant: tenant.slug }),
      settings: installation.settings,
      permissions,
      api: new ScopedCoreApi(plugin.id, permissions, this.#administration),
      store: pluginStore(plugin.id),
      db: pluginTables(plugin.id, client),
      http: pluginHttp(plugin.id, permissions, signal),
      realtime: {
        toMember: async (memberId, name, data) => {
          TenantContext.run(tenant, () => this.live.toUsers([memberId], event(name), data))
        },
        toProject: async (projectId, name, data) => {
          if (!permissions.has('projects:read')) {
            throw new PluginPermissionDeniedException(plugin.id, 'projects:read')
          }
          TenantContext.run(tenant, () => this.live.toProject(projectId, event(name), data))
        },
      },
      jobs,
      secrets: {
        encrypt: (value) => encryption.encrypt(value, { purpose: secretsPurpose }),
        decrypt: (value) => encryption.decrypt<string>(value, secretsPurpose),
      },
      audit: pluginAudit(plugin.id, client),
      throttle: pluginThrottle(plugin.id),
      signal,
      url: (path) => `${tenantBaseUrl(tenant.slug)}${path.startsWith('/') ? '' : '/'}${path}`,
    }
  }
}
