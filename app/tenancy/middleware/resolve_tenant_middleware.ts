import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantNotFoundException, TenantSuspendedException } from '#tenancy/exceptions'

/**
 * Resolves the tenant from the Host header and runs the rest of the
 * request inside its TenantContext.
 */
@inject()
export default class ResolveTenantMiddleware {
  constructor(protected directory: TenantDirectory) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const tenant = await this.directory.resolveHost(ctx.request.hostname() ?? '')
    if (!tenant || tenant.status === 'provisioning' || tenant.status === 'archived') {
      throw new TenantNotFoundException()
    }
    if (tenant.status === 'suspended') {
      throw new TenantSuspendedException()
    }
    ctx.tenant = tenant
    return TenantContext.run(tenant, () => next())
  }
}
