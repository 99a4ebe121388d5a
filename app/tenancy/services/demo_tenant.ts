import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { appDomain } from '#config/app'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { TenantContext } from '#tenancy/tenant_context'
import { SampleProject } from '#work/services/sample_project'

/**
 * The "demo" tenant a first `npm start` creates so there is something to
 * sign in to. Its admin's generated password is printed once.
 */
@inject()
export class DemoTenant {
  constructor(
    protected provisioner: TenantProvisioner,
    protected sampleProject: SampleProject
  ) {}

  async seedIfFirst() {
    const existing = await db.from('central.tenants').count('* as total').first()
    if (Number(existing?.total ?? 0) > 0) {
      return
    }
    const { tenant, generatedPassword, owner } = await this.provisioner.create({
      slug: 'demo',
      name: 'Demo Workspace',
      admin: { email: 'admin@demo.test', fullName: 'Demo Admin' },
      actor: { type: 'system' },
    })
    await TenantContext.run({ id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }, () =>
      this.sampleProject.create(owner)
    )
    const port = env.get('PORT', 3333)
    // Printed straight to the console, not the logger: it is shown once
    // and must not end up in log storage.
    console.log(
      [
        '',
        '  Demo workspace created',
        `  URL:      http://demo.${appDomain}:${port}`,
        `  Email:    ${owner.email}`,
        `  Password: ${generatedPassword}`,
        '  (shown once; sign in with POST /api/v1/auth/login)',
        '',
      ].join('\n')
    )
  }
}
