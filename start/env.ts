/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Every variable Tandem reads is declared and validated here; nothing else
| reads process.env. bin/local_environment.ts fills DATABASE_URL and
| APP_KEY for the zero-configuration mode before this runs.
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum.optional(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  LOG_LEVEL: Env.schema.string.optional(),
  APP_KEY: Env.schema.secret(),

  /*
  | Tenants are served at <slug>.<APP_DOMAIN>; the bare domain serves only
  | central routes (signup, health).
  */
  APP_DOMAIN: Env.schema.string.optional(),
  /*
  | Public address of APP_DOMAIN (scheme, host, port), for links made
  | outside a request (feeds, notifications): a tenant's address is this
  | with its slug in front of the host. Default http://<APP_DOMAIN>:<PORT>.
  */
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),

  DATABASE_URL: Env.schema.string(),
  DB_POOL_MAX: Env.schema.number.optional(),
  DB_EVENTS_POOL_MAX: Env.schema.number.optional(),
  EMBEDDED_DATABASE: Env.schema.boolean.optional(),
  SEED_DEMO: Env.schema.boolean.optional(),

  REDIS_URL: Env.schema.string.optional(),
  /*
  | Prefix of every Redis key and pub/sub channel Tandem uses, so that
  | deployments (or test runs) sharing one Redis server stay apart.
  */
  REDIS_PREFIX: Env.schema.string.optional(),
  /*
  | Where domain events are delivered: in each web process (`web`), or
  | only in `ace events:work` processes (`worker`).
  */
  EVENTS_DISPATCH: Env.schema.enum.optional(['web', 'worker'] as const),
  /* Tenants drained at once by one dispatcher (default: twice DB_EVENTS_POOL_MAX). */
  EVENTS_CONCURRENCY: Env.schema.number.optional(),
  REQUIRE_REDIS: Env.schema.boolean.optional(),
  /* Set by CI: plugin tests fail, rather than skip, when their real peers (Radicale) are missing. */
  REQUIRE_PEERS: Env.schema.boolean.optional(),

  /* Presence: clients heartbeat about every PRESENCE_INTERVAL_MS; entries of a silent node expire after PRESENCE_TTL_MS. */
  PRESENCE_INTERVAL_MS: Env.schema.number.optional(),
  PRESENCE_TTL_MS: Env.schema.number.optional(),

  /*
  | Plugins: more folders to discover plugins in, besides plugins/
  | (comma-separated, relative to the app root).
  */
  PLUGIN_DIRS: Env.schema.string.optional(),
  /* A plugin failing this many deliveries in a row is disabled for the tenant. */
  PLUGIN_MAX_FAILURES: Env.schema.number.optional(),

  /* SCIM requests one provisioning token may make per minute (an IdP's full import included). */
  SCIM_REQUESTS_PER_MINUTE: Env.schema.number.optional(),
})
