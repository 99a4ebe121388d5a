/*
|--------------------------------------------------------------------------
| Database readiness (web environment only)
|--------------------------------------------------------------------------
|
| Before the server accepts requests: apply pending central migrations,
| and on a deployment with no tenant yet seed the "demo" tenant when
| running on the embedded database (or when SEED_DEMO=true).
*/
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
import { CentralSchemaMigrator } from '#tenancy/services/schema_migrators'
import { DemoTenant } from '#tenancy/services/demo_tenant'

const migrator = await app.container.make(CentralSchemaMigrator)
const { applied } = await migrator.migrate('central')
if (applied.length > 0) {
  logger.info({ migrations: applied }, 'central migrations applied')
}

if (env.get('SEED_DEMO', env.get('EMBEDDED_DATABASE', false))) {
  const demo = await app.container.make(DemoTenant)
  await demo.seedIfFirst()
}
