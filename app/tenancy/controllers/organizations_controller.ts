import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { createOrganizationValidator } from '#tenancy/validators/organization'
import { tenantUrl } from '#tenancy/tenant_url'
import { memberResource } from '#identity/member_resource'

/**
 * Self-service signup on the bare domain.
 */
@inject()
export default class OrganizationsController {
  constructor(protected provisioner: TenantProvisioner) {}

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(createOrganizationValidator)
    const { tenant, owner } = await this.provisioner.create({
      slug: payload.slug,
      name: payload.name,
      admin: {
        email: payload.admin.email,
        password: payload.admin.password,
        fullName: payload.admin.full_name,
      },
      actor: { type: 'system' },
    })
    const token = await TenantContext.run(
      { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName },
      () => User.accessTokens.create(owner, ['*'], { name: 'signup' })
    )
    return ctx.response.created({
      data: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        url: tenantUrl(ctx, tenant.slug),
        token: token.value!.release(),
        admin: memberResource(owner),
      },
    })
  }
}
