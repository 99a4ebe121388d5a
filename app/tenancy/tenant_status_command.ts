import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { reportFailure } from '#shared/command_failure'

/**
 * Shape of the commands that move one tenant between active and
 * suspended.
 */
export abstract class TenantStatusCommand extends BaseCommand {
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug' })
  declare slug: string

  protected abstract change(provisioner: TenantProvisioner, slug: string): Promise<unknown>
  protected abstract readonly pastTense: string

  async run() {
    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      await this.change(provisioner, this.slug)
      this.logger.success(`Tenant "${this.slug}" ${this.pastTense}`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
