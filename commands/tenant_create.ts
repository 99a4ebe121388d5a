import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { reportFailure } from '#shared/command_failure'

export default class TenantCreate extends BaseCommand {
  static commandName = 'tenant:create'
  static description =
    'Create a tenant: its schema, its tables and its first owner (re-run to finish a crashed create)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug (subdomain), e.g. acme' })
  declare slug: string

  @flags.string({ description: 'Display name', required: true })
  declare name: string

  @flags.string({ description: 'Email of the first owner', required: true })
  declare adminEmail: string

  @flags.string({ description: 'Password of the first owner (generated and printed when omitted)' })
  declare adminPassword?: string

  @flags.string({ description: 'Region whose database cluster hosts the tenant' })
  declare region?: string

  async run() {
    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      const started = performance.now()
      const result = await provisioner.create({
        slug: this.slug,
        name: this.name,
        region: this.region,
        admin: { email: this.adminEmail, password: this.adminPassword },
      })
      const took = Math.round(performance.now() - started)
      this.logger.success(
        `${result.resumed ? 'Finished creating' : 'Created'} tenant "${result.tenant.slug}" (schema ${result.tenant.schemaName}) in ${took} ms`
      )
      this.logger.info(`Owner: ${result.owner.email}`)
      if (result.generatedPassword) {
        this.logger.info(`Owner password (shown once): ${result.generatedPassword}`)
      }
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
