import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { reportFailure } from '#shared/command_failure'

export default class TenantResume extends BaseCommand {
  static commandName = 'tenant:resume'
  static description = 'Resume a suspended tenant'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug' })
  declare slug: string

  async run() {
    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      await provisioner.resume(this.slug)
      this.logger.success(`Tenant "${this.slug}" resumed`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
