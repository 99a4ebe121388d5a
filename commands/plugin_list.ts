import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { installationsAcrossTenants } from '#plugins/services/plugin_tenants'

/**
 * The catalog, with where each plugin is installed: in how many active
 * tenants (and how many of those are behind the catalog's version), or,
 * with --tenant, that tenant's installation.
 */
export default class PluginList extends BaseCommand {
  static commandName = 'plugin:list'
  static description = 'List the plugins this deployment offers and where they are installed'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Show this tenant’s installations only (slug)' })
  declare tenant?: string

  async run() {
    const registry = await this.app.container.make(PluginRegistry)
    const table = this.ui
      .table()
      .head(['Plugin', 'Version', 'Permissions', this.tenant ? this.tenant : 'Installed in'])
    for (const plugin of registry.all()) {
      const installations = await installationsAcrossTenants(plugin.id)
      const mine = installations.filter((item) => !this.tenant || item.tenant.slug === this.tenant)
      let where: string
      if (this.tenant) {
        const [installation] = mine
        where = installation
          ? `${installation.version}, ${installation.enabled ? 'enabled' : 'disabled'}`
          : 'not installed'
      } else {
        const enabled = mine.filter((item) => item.enabled).length
        const behind = mine.filter((item) => item.version !== plugin.version).length
        where = `${mine.length} tenant(s), ${enabled} enabled${behind ? `, ${behind} to upgrade` : ''}`
      }
      table.row([plugin.id, plugin.version, plugin.permissions.join(' '), where])
    }
    table.render()
  }
}
