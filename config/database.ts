import pg from 'pg'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
 * One pool for every tenant: tenant tables are reached through
 * schema-qualified names (app/tenancy), never through a per-tenant
 * connection or a session-level search_path, so the number of
 * connections does not grow with the number of tenants and the pool
 * works behind PgBouncer in transaction mode.
 */
/*
 * bigint (int8) columns hold ids and counts far below 2^53: return them as
 * numbers so the API never mixes "1" and 1.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))
/*
 * Calendar dates (due dates, project start and end) stay 'YYYY-MM-DD'
 * strings: turning them into a Date at local midnight shifts them a day in
 * half the world's time zones.
 */
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

/** The URL with an application_name, which tells the pools apart in pg_stat_activity. */
function named(url: string, applicationName: string) {
  const parsed = new URL(url)
  parsed.searchParams.set('application_name', applicationName)
  return parsed.toString()
}

const dbConfig = defineConfig({
  connection: 'postgres',
  connections: {
    postgres: {
      client: 'pg',
      connection: named(env.get('DATABASE_URL'), 'tandem'),
      pool: { min: 0, max: env.get('DB_POOL_MAX', 10) },
    },
    /*
     * The event dispatcher's own bookkeeping (cursors, leases, reading the
     * log), so deliveries do not queue behind request traffic for a
     * connection. Opened only in processes that dispatch.
     */
    events: {
      client: 'pg',
      connection: named(env.get('DATABASE_URL'), 'tandem-events'),
      pool: { min: 0, max: env.get('DB_EVENTS_POOL_MAX', 4) },
    },
  },
})

export default dbConfig
