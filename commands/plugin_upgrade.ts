import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantContext } from '#tenancy/tenant_context'
import { reportFailure } from '#shared/command_failure'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { PluginInstaller } from '#plugins/services/plugin_installer'
import { installationsAcrossTenants } from '#plugins/services/plugin_tenants'

/**
 * Brings a plugin's installations to the catalog's version: its new
 * migrations run in each installing tenant, one transaction per tenant,
 * so one failure neither stops nor spoils the others and a re-run
 * resumes. One line per tenant; exits 1 if any failed.
 */
export default class PluginUpgrade extends BaseCommand {
  static commandName = 'plugin:upgrade'
  static description = 'Run a plugin’s new migrations in every tenant that installed it (or one)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Plugin id' })
  declare plugin: string

  @flags.string({ description: 'Only this tenant (slug)' })
  declare tenant?: string

  async run() {
    try {
      const registry = await this.app.container.make(PluginRegistry)
      const plugin = registry.get(this.plugin)
      const installer = await this.app.container.make(PluginInstaller)
      const everywhere = await installationsAcrossTenants(plugin.id)
      const installations = everywhere.filter(
        (item) => !this.tenant || item.tenant.slug === this.tenant
      )
      if (this.tenant && installations.length === 0) {
        throw new Error(`"${plugin.id}" is not installed in an active tenant "${this.tenant}"`)
      }
      let failed = 0
      for (const { tenant, version } of installations) {
        try {
          const { migrations } = await TenantContext.run(tenant, () =>
            installer.upgrade({ operator: true }, plugin.id)
          )
          const ran = migrations.length ? `: ${migrations.join(', ')}` : ''
          this.logger.info(
            version === plugin.version && migrations.length === 0
              ? `${tenant.slug} up-to-date (${version})`
              : `${tenant.slug} ${version} -> ${plugin.version}${ran}`
          )
        } catch (error) {
          failed += 1
          this.logger.error(`${tenant.slug} failed: ${(error as Error).message}`)
        }
      }
      const summary = `${installations.length} tenant(s), ${failed} failed`
      if (failed > 0) {
        this.exitCode = 1
        this.logger.error(summary)
      } else {
        this.logger.success(summary)
      }
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
