import { TenantStatusCommand } from '#tenancy/tenant_status_command'
import type { TenantProvisioner } from '#tenancy/services/tenant_provisioner'

export default class TenantSuspend extends TenantStatusCommand {
  static commandName = 'tenant:suspend'
  static description = 'Suspend a tenant: its hosts answer 403 E_TENANT_SUSPENDED until resumed'

  protected pastTense = 'suspended'

  protected change(provisioner: TenantProvisioner, slug: string) {
    return provisioner.suspend(slug)
  }
}
