import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import Tenant from '#tenancy/models/tenant'
import { TenantContext } from '#tenancy/tenant_context'
import { AuditVerifier } from '#audit/services/audit_verifier'

export default class AuditVerify extends BaseCommand {
  static commandName = 'audit:verify'
  static description = "Check a tenant's audit trail hash chain; exit 1 at the first bad row"
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Tenant slug' })
  declare slug: string

  async run() {
    const tenant = await Tenant.findBy('slug', this.slug)
    if (!tenant || tenant.status === 'provisioning') {
      this.logger.error(
        tenant ? `Tenant "${this.slug}" is still being created` : `Unknown tenant "${this.slug}"`
      )
      this.exitCode = 1
      return
    }
    const result = await TenantContext.run(
      { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName },
      () => AuditVerifier.verify()
    )
    if (result.ok) {
      this.logger.success(`Audit trail of "${tenant.slug}" intact (${result.rows} rows)`)
      return
    }
    this.logger.error(
      `Audit trail of "${tenant.slug}" broken at seq ${result.seq}${result.id ? ` (id ${result.id})` : ''}: ${result.reason}`
    )
    this.exitCode = 1
  }
}
