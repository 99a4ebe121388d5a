import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { reportFailure } from '#shared/command_failure'

export default class TenantSuspend extends BaseCommand {
  static commandName = 'tenant:suspend'
  static description = 'Suspend a tenant: its hosts answer 403 E_TENANT_SUSPENDED until resumed'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug' })
  declare slug: string

  async run() {
    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      await provisioner.suspend(this.slug)
      this.logger.success(`Tenant "${this.slug}" suspendd`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
