import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantNotFoundException } from '#tenancy/exceptions'
import { reportFailure } from '#shared/command_failure'
import type { PluginPermission } from '#plugins/plugin_api'
import { PluginInstaller } from '#plugins/services/plugin_installer'
import { activeTenant } from '#plugins/services/plugin_tenants'

/**
 * Installs a plugin in one tenant for its admins (audited as done by an
 * operator): the same rules as the admin API.
 */
export default class PluginInstall extends BaseCommand {
  static commandName = 'plugin:install'
  static description = 'Install a plugin in a tenant (runs its migrations there)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Plugin id' })
  declare plugin: string

  @flags.string({ description: 'Tenant slug', required: true })
  declare tenant: string

  @flags.array({ description: 'Permissions to grant (default: all the plugin asks for)' })
  declare grant?: string[]

  @flags.string({ description: 'Settings as a JSON object' })
  declare settings?: string

  @flags.boolean({ description: 'Install it disabled' })
  declare disabled: boolean

  async run() {
    try {
      const tenant = await activeTenant({ slug: this.tenant })
      if (!tenant) {
        throw new TenantNotFoundException(this.tenant)
      }
      const settings = this.settings ? JSON.parse(this.settings) : undefined
      const installer = await this.app.container.make(PluginInstaller)
      const installation = await TenantContext.run(tenant, () =>
        installer.install({ operator: true }, this.plugin, {
          permissions: this.grant?.flatMap((item) => item.split(',')) as PluginPermission[],
          settings,
          enabled: !this.disabled,
        })
      )
      this.logger.success(
        `${this.plugin} ${installation.version} installed in "${tenant.slug}" (${
          installation.enabled ? 'enabled' : 'disabled'
        }), granted: ${installation.grantedPermissions.join(', ') || 'nothing'}`
      )
    } catch (error) {
      reportFailure(this, describeValidation(error))
    }
  }
}

/** VineJS errors list their fields; an operator needs them on one line. */
function describeValidation(error: unknown) {
  const messages = (error as { messages?: { field: string; message: string }[] }).messages
  if (!Array.isArray(messages)) {
    return error
  }
  return new Error(messages.map((item) => `${item.field}: ${item.message}`).join('; '))
}
