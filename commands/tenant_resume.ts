import { TenantStatusCommand } from '#tenancy/tenant_status_command'
import type { TenantProvisioner } from '#tenancy/services/tenant_provisioner'

export default class TenantResume extends TenantStatusCommand {
  static commandName = 'tenant:resume'
  static description = 'Resume a suspended tenant'

  protected pastTense = 'resumed'

  protected change(provisioner: TenantProvisioner, slug: string) {
    return provisioner.resume(slug)
  }
}
