import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { CentralSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import limiter from '@adonisjs/limiter/services/main'
import { redisEnabled } from '#config/redis'

/**
 * Empty deployment: no tenant schema, a freshly migrated central schema,
 * no rate-limit counters (tenant ids restart at 1 after a reset).
 */
export async function resetDatabase() {
  const schemas = await db.rawQuery(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' OR nspname = 'central'`
  )
  for (const { nspname } of schemas.rows) {
    await db.rawQuery('DROP SCHEMA ?? CASCADE', [nspname])
  }
  const migrator = await app.container.make(CentralSchemaMigrator)
  await migrator.migrate('central')
  const directory = await app.container.make(TenantDirectory)
  directory.invalidate()
  await limiter.clear([redisEnabled ? 'redis' : 'memory'])
}
