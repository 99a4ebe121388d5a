import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { CentralSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import limiter from '@adonisjs/limiter/services/main'
import redis from '@adonisjs/redis/services/main'
import { redisEnabled, redisPrefix } from '#config/redis'

/**
 * Empty deployment: no tenant schema, a freshly migrated central schema,
 * no Redis state (tenant ids restart at 1 after a reset).
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
  await clearRedisState()
}

/**
 * This deployment's Redis state (rate-limit counters, queued jobs,
 * presence), and only its own: the keys under REDIS_PREFIX. The
 * limiter's `clear()` would flush the whole database, and with it the
 * queues of every other process sharing it (another test run, a
 * benchmark).
 */
async function clearRedisState() {
  if (!redisEnabled) {
    await limiter.clear(['memory'])
    return
  }
  const client = redis.connection('main').ioConnection
  const keyPrefix = `${redisPrefix}:`
  for await (const keys of client.scanStream({ match: `${keyPrefix}*`, count: 500 })) {
    if (keys.length > 0) {
      await client.del(...keys.map((key: string) => key.slice(keyPrefix.length)))
    }
  }
}
