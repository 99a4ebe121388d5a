import type { ApplicationService } from '@adonisjs/core/types'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import type { DirectoryTenant } from '#tenancy/services/tenant_directory'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** The tenant the request's host resolved to (tenant routes only). */
    tenant: DirectoryTenant
  }
}

/**
 * One TenantDirectory per process: its cache and its LISTEN connection
 * are shared by every request.
 */
export default class TenancyProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(TenantDirectory, () => new TenantDirectory())
  }

  async shutdown() {
    const directory = await this.app.container.make(TenantDirectory)
    await directory.close()
  }
}
