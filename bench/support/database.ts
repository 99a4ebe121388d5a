import pg from 'pg'

/*
 * Benchmarks run against a database of their own on the server
 * DATABASE_URL points at (default: the local PostgreSQL), recreated at the
 * start of each run and dropped at the end, so they never touch the
 * development or CI data.
 */
const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres'
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const DATABASE_NAME = /^[a-z_][a-z0-9_]*$/

export function benchDatabaseUrl(name: string): string {
  if (!DATABASE_NAME.test(name)) {
    throw new Error(`Invalid benchmark database name "${name}"`)
  }
  const url = new URL(process.env.DATABASE_URL || DEFAULT_SERVER)
  // The scripts drop this database and send heavy load: local servers only.
  if (!LOOPBACK.has(url.hostname)) {
    throw new Error(`Benchmarks only run against a local PostgreSQL (got ${url.hostname})`)
  }
  url.pathname = `/${name}`
  return url.toString()
}

/** Runs `work` on a short-lived connection to the server's maintenance database. */
async function withMaintenanceClient(
  databaseUrl: string,
  work: (client: pg.Client) => Promise<void>
) {
  const url = new URL(databaseUrl)
  url.pathname = '/postgres'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}

function databaseName(databaseUrl: string) {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
}

export async function dropDatabase(databaseUrl: string) {
  await withMaintenanceClient(databaseUrl, async (client) => {
    // FORCE: a run killed half-way may have left its connections behind.
    await client.query(`DROP DATABASE IF EXISTS "${databaseName(databaseUrl)}" WITH (FORCE)`)
  })
}

export async function recreateDatabase(databaseUrl: string) {
  await dropDatabase(databaseUrl)
  await withMaintenanceClient(databaseUrl, async (client) => {
    await client.query(`CREATE DATABASE "${databaseName(databaseUrl)}"`)
  })
}
