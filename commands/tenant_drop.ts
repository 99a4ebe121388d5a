import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { reportFailure } from '#shared/command_failure'

export default class TenantDrop extends BaseCommand {
  static commandName = 'tenant:drop'
  static description = 'Permanently delete a tenant and all its data (requires --force)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug' })
  declare slug: string

  @flags.boolean({ description: 'Confirm that all of the tenant data is to be deleted' })
  declare force: boolean

  async run() {
    if (!this.force) {
      this.logger.error(
        `Refusing to drop "${this.slug}" without --force: this deletes all of its data`
      )
      this.exitCode = 1
      return
    }
    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      await provisioner.drop(this.slug)
      this.logger.success(`Tenant "${this.slug}" dropped`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
