import type { ApplicationService } from '@adonisjs/core/types'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import type { DirectoryTenant } from '#tenancy/services/tenant_directory'
import { PgNotifications } from '#shared/pg_notifications'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /** The tenant the request's host resolved to (tenant routes only). */
    tenant: DirectoryTenant
  }
}

/**
 * One TenantDirectory and one LISTEN connection per process: the cache
 * and the connection are shared by every request.
 */
export default class TenancyProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(PgNotifications, () => new PgNotifications())
    this.app.container.singleton(TenantDirectory, async (resolver) => {
      return new TenantDirectory(await resolver.make(PgNotifications))
    })
  }

  async shutdown() {
    const notifications = await this.app.container.make(PgNotifications)
    await notifications.close()
  }
}
