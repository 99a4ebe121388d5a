/*
 * "How many database connections does the app hold while every tenant is
 * served once?" for bench/provisioning.ts. Imported after the app has
 * booted.
 */
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import app from '@adonisjs/core/services/app'
import { TenantDirectory } from '#tenancy/services/tenant_directory'
import { get } from '../support/http.js'
import { tenantHost } from '../support/app.js'
import { forEachConcurrently } from '../support/report.js'
import { poolStats } from '../support/pool.js'

const SAMPLE_EVERY_MS = 50
/** The process's shared LISTEN connection last ran one of these. */
const LISTEN_PATTERN = 'LISTEN %'

/*
 * Client backends connected to the benchmark database, except the
 * sampler's own connection, the process's shared LISTEN connection (one
 * per process, outside the pool, idle by design; counted apart) and the
 * event dispatcher's own small pool (application_name tandem-events,
 * bounded by DB_EVENTS_POOL_MAX; counted apart). What is left is the
 * app's query pool.
 */
const SAMPLE_SQL = `
  SELECT count(*) FILTER (WHERE query NOT LIKE $1)::int AS open,
         count(*) FILTER (WHERE query NOT LIKE $1 AND state <> 'idle')::int AS busy,
         count(*) FILTER (WHERE query LIKE $1)::int AS listeners
  FROM pg_stat_activity
  WHERE datname = current_database()
    AND backend_type = 'client backend'
    AND application_name <> 'tandem-events'
    AND pid <> pg_backend_pid()`

interface Sample {
  open: number
  busy: number
  listeners: number
}

export interface ConnectionSamples {
  samples: number
  /** Pool backends already open when sampling started (left by earlier work). */
  initialOpen: number
  /** Most pool backends open at once (pg_stat_activity). */
  maxOpen: number
  /** Most of them running a statement or in a transaction at once. */
  maxBusy: number
  /** Most connections the pool itself reported (in use + idle + opening). */
  maxPoolSize: number
  /** Most LISTEN connections seen (excluded from the counts above). */
  maxListeners: number
}

async function readSample(client: pg.Client): Promise<Sample> {
  const { rows } = await client.query<Sample>(SAMPLE_SQL, [LISTEN_PATTERN])
  return rows[0]
}

/**
 * The tenant directory opens its LISTEN connection on the first host it
 * resolves. Until that connection has run LISTEN it looks like any other
 * backend, so it is opened, and seen, before sampling starts.
 */
async function primeTenantDirectory(client: pg.Client, host: string) {
  const directory = await app.container.make(TenantDirectory)
  await directory.resolveHost(host)
  for (let attempt = 0; attempt < 100; attempt++) {
    const { listeners } = await readSample(client)
    if (listeners > 0) {
      return
    }
    await sleep(SAMPLE_EVERY_MS)
  }
  throw new Error('The tenant directory did not open its LISTEN connection')
}

/** Samples pg_stat_activity every 50 ms until stopped. */
async function startSampler(client: pg.Client) {
  const stats: ConnectionSamples = {
    samples: 0,
    initialOpen: 0,
    maxOpen: 0,
    maxBusy: 0,
    maxPoolSize: 0,
    maxListeners: 0,
  }
  const sample = async () => {
    const row = await readSample(client)
    const pool = poolStats()
    stats.samples++
    stats.maxOpen = Math.max(stats.maxOpen, row.open)
    stats.maxBusy = Math.max(stats.maxBusy, row.busy)
    stats.maxListeners = Math.max(stats.maxListeners, row.listeners)
    stats.maxPoolSize = Math.max(stats.maxPoolSize, pool.used + pool.free + pool.creating)
  }

  await sample()
  stats.initialOpen = stats.maxOpen
  let sampling: Promise<void> = Promise.resolve()
  let failure: unknown
  const timer = setInterval(() => {
    // Samples queue up behind each other, never overlap; a failed one is
    // reported when sampling stops.
    sampling = sampling.then(sample).catch((error) => {
      failure ??= error
    })
  }, SAMPLE_EVERY_MS)

  return {
    async stop(): Promise<ConnectionSamples> {
      clearInterval(timer)
      await sampling
      await sample()
      if (failure) {
        throw failure
      }
      return stats
    },
  }
}

export interface HitResult {
  statuses: Map<number, number>
  ms: number
}

/** GET /api/v1/me once on every tenant's host, `concurrency` at a time. */
async function hitEveryTenant(
  baseUrl: string,
  tokens: Map<string, string>,
  concurrency: number
): Promise<HitResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const statuses = new Map<number, number>()
  const started = performance.now()
  try {
    await forEachConcurrently([...tokens], concurrency, async ([slug, token]) => {
      const reply = await get(`${baseUrl}/api/v1/me`, {
        host: tenantHost(slug),
        headers: { authorization: `Bearer ${token}` },
        agent,
      })
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
    })
  } finally {
    agent.destroy()
  }
  return { statuses, ms: performance.now() - started }
}

export async function connectionsWhileHittingEveryTenant(options: {
  databaseUrl: string
  baseUrl: string
  tokens: Map<string, string>
  concurrency: number
}): Promise<{ hits: HitResult; samples: ConnectionSamples }> {
  // A connection of its own, outside the app's pool.
  const client = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: 'tandem-bench-sampler',
  })
  await client.connect()
  try {
    await primeTenantDirectory(client, tenantHost([...options.tokens.keys()][0]))
    const sampler = await startSampler(client)
    const hits = await hitEveryTenant(options.baseUrl, options.tokens, options.concurrency).catch(
      async (error) => {
        await sampler.stop().catch(() => {})
        throw error
      }
    )
    return { hits, samples: await sampler.stop() }
  } finally {
    await client.end()
  }
}
