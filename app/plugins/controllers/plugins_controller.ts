import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { requestOrigin } from '#identity/request_origin'
import { TenantContext } from '#tenancy/tenant_context'
import PluginPolicy from '#plugins/policies/plugin_policy'
import PluginInstallation from '#plugins/models/plugin_installation'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { PluginInstaller, type PluginActor } from '#plugins/services/plugin_installer'
import { PluginHealth } from '#plugins/services/plugin_health'
import { pluginResource, type PluginMetricsRow } from '#plugins/plugin_resource'
import {
  installPluginValidator,
  pluginSettingsValidator,
  uninstallPluginValidator,
} from '#plugins/validators/plugins'

/** The catalog and this workspace's installations (docs/plugins.md). */
@inject()
export default class PluginsController {
  constructor(
    protected registry: PluginRegistry,
    protected installer: PluginInstaller,
    protected health: PluginHealth
  ) {}

  async index({ bouncer }: HttpContext) {
    await bouncer.with(PluginPolicy).authorize('list')
    const admin = await bouncer.with(PluginPolicy).allows('manage')
    const rows = await PluginInstallation.all()
    const installations = new Map(rows.map((installation) => [installation.pluginId, installation]))
    const metrics = admin ? await this.#metrics() : new Map()
    const tenantId = TenantContext.currentOrFail().id
    return {
      data: this.registry.all().map((plugin) =>
        pluginResource(plugin, installations.get(plugin.id) ?? null, {
          tenantId,
          admin,
          metrics: metrics.get(plugin.id),
        })
      ),
    }
  }

  async show({ bouncer, params }: HttpContext) {
    await bouncer.with(PluginPolicy).authorize('list')
    const plugin = this.registry.get(params.plugin)
    const admin = await bouncer.with(PluginPolicy).allows('manage')
    const installation = await PluginInstallation.find(plugin.id)
    const metrics = admin ? await this.#metrics() : new Map()
    return this.#respond(plugin.id, installation, admin, metrics.get(plugin.id))
  }

  async install(ctx: HttpContext) {
    await ctx.bouncer.with(PluginPolicy).authorize('manage')
    const options = await ctx.request.validateUsing(installPluginValidator)
    const installation = await this.installer.install(this.#actor(ctx), ctx.params.plugin, options)
    ctx.response.status(201)
    return this.#respond(installation.pluginId, installation, true)
  }

  async updateSettings(ctx: HttpContext) {
    await ctx.bouncer.with(PluginPolicy).authorize('manage')
    this.registry.get(ctx.params.plugin)
    const patch = await ctx.request.validateUsing(pluginSettingsValidator)
    const installation = await this.installer.updateSettings(
      this.#actor(ctx),
      ctx.params.plugin,
      patch
    )
    return this.#respond(installation.pluginId, installation, true)
  }

  async enable(ctx: HttpContext) {
    return this.#setEnabled(ctx, true)
  }

  async disable(ctx: HttpContext) {
    return this.#setEnabled(ctx, false)
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(PluginPolicy).authorize('manage')
    const { purge } = await ctx.request.validateUsing(uninstallPluginValidator, {
      data: ctx.request.qs(),
    })
    await this.installer.uninstall(this.#actor(ctx), ctx.params.plugin, { purge: purge ?? false })
    ctx.response.status(204)
  }

  async #setEnabled(ctx: HttpContext, enabled: boolean) {
    await ctx.bouncer.with(PluginPolicy).authorize('manage')
    const installation = await this.installer.setEnabled(
      this.#actor(ctx),
      ctx.params.plugin,
      enabled
    )
    return this.#respond(installation.pluginId, installation, true)
  }

  #actor(ctx: HttpContext): PluginActor {
    return { user: ctx.auth.getUserOrFail(), origin: requestOrigin(ctx) }
  }

  async #respond(
    pluginId: string,
    installation: PluginInstallation | null,
    admin: boolean,
    metrics?: PluginMetricsRow
  ) {
    return {
      data: pluginResource(this.registry.get(pluginId), installation, {
        tenantId: TenantContext.currentOrFail().id,
        admin,
        metrics,
      }),
    }
  }

  /** Counters of every plugin here, with this process's latest ones written first. */
  async #metrics(): Promise<Map<string, PluginMetricsRow>> {
    await this.health.flush()
    const rows = await db.from(TenantContext.table('plugin_metrics')).select('*')
    return new Map(rows.map((row) => [row.plugin_id, row]))
  }
}
