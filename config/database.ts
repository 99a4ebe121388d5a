import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
 * One pool for every tenant: tenant tables are reached through
 * schema-qualified names (app/tenancy), never through a per-tenant
 * connection or a session-level search_path, so the number of
 * connections does not grow with the number of tenants and the pool
 * works behind PgBouncer in transaction mode.
 */
const dbConfig = defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection: env.get('DATABASE_URL'),
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10) },
    },
  },
})

export default dbConfig
