import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { createTenantValidator } from '#tenancy/validators/organization'
import { reportFailure } from '#shared/command_failure'

export default class TenantCreate extends BaseCommand {
  static commandName = 'tenant:create'
  static description =
    'Create a tenant: its schema, its tables and its first owner (re-run to finish a crashed create)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug (subdomain), e.g. acme' })
  declare slug: string

  // Required, but checked in run(): ace checks required flags before it
  // honours --help, so `tenant:create --help` would fail.
  @flags.string({ description: 'Display name (required)' })
  declare name?: string

  @flags.string({ description: 'Email of the first owner (required)' })
  declare adminEmail?: string

  @flags.string({ description: 'Password of the first owner (generated and printed when omitted)' })
  declare adminPassword?: string

  @flags.string({ description: 'Region whose database cluster hosts the tenant' })
  declare region?: string

  async run() {
    const [invalid, input] = await createTenantValidator.tryValidate({
      slug: this.slug,
      name: this.name,
      admin_email: this.adminEmail,
      admin_password: this.adminPassword,
      region: this.region,
    })
    if (invalid) {
      for (const { field, message } of invalid.messages as { field: string; message: string }[]) {
        this.logger.error(`--${field.replaceAll('_', '-')}: ${message}`)
      }
      this.exitCode = 1
      return
    }

    const provisioner = await this.app.container.make(TenantProvisioner)
    try {
      const started = performance.now()
      const result = await provisioner.create({
        slug: input.slug,
        name: input.name,
        region: input.region,
        admin: { email: input.admin_email, password: input.admin_password },
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
