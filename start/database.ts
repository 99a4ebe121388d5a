/*
|--------------------------------------------------------------------------
| Database readiness (web environment only)
|--------------------------------------------------------------------------
|
| Before the server accepts requests: apply pending central migrations.
| On the embedded database (a developer's machine) also bring every
| tenant schema up to date, and seed the "demo" tenant when there is no
| tenant yet (or when SEED_DEMO=true). Deployments on their own database
| run `tenant:migrate` as a release step instead.
*/
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import { CentralSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TenantMigrations } from '#tenancy/services/tenant_migrations'
import { DemoTenant } from '#tenancy/services/demo_tenant'

const embedded = env.get('EMBEDDED_DATABASE', false)

const migrator = await app.container.make(CentralSchemaMigrator)
const { applied } = await migrator.migrate('central')
if (applied.length > 0) {
  logger.info({ migrations: applied }, 'central migrations applied')
}

if (embedded) {
  const tenantMigrations = await app.container.make(TenantMigrations)
  const outcomes = await tenantMigrations.run({})
  for (const outcome of outcomes.filter(({ status }) => status !== 'up-to-date')) {
    logger.info(outcome, 'tenant migrations')
  }
}

if (env.get('SEED_DEMO', embedded)) {
  const demo = await app.container.make(DemoTenant)
  await demo.seedIfFirst()
}
