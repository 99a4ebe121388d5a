/*
|--------------------------------------------------------------------------
| Benchmark: cost of tenant scoping on a request
|--------------------------------------------------------------------------
|
| npm run bench:scoping [-- --smoke] [-- --duration=8 --connections=50 --rounds=4]
|
| Boots the app in this process on a database of its own (tandem_bench),
| provisions tenant "bench" with 50 users, then load-tests endpoints that
| run the same three queries (count users, one user by id, 10 users):
|   (a) a tenant route: real tenant middleware + tenant Lucid models;
|   (b) hard-wired `tenant_bench.users` SQL, no tenant middleware;
| and diagnostics that split the gap between them:
|   (c) tenant middleware + plain SQL on the bound tenant's table;
|   (d) an ordinary Lucid model on tenant_bench.users, no tenant middleware;
|   (e), (f) no query, without and with the tenant middleware.
| Runs alternate a..f then f..a (4 rounds; smoke: 1 round of 2 s runs).
| Target: req/s of (a) >= 0.9 x (b).
*/
import { getJson } from './support/http.js'
import { load } from './support/load.js'
import { tenantHost, withBenchApp, type BenchApp } from './support/app.js'
import { Checks, machineFacts, readFlags, runBench } from './support/runner.js'
import { runHeader } from './support/report.js'
import { ENDPOINTS, ORDER, type EndpointKey } from './scoping/endpoints.js'
import { runsTable, summaryTables, type Run } from './scoping/report.js'

const SLUG = 'bench'
const SCHEMA = 'tenant_bench'
const USERS = 50

interface Settings {
  smoke: boolean
  connections: number
  durationSeconds: number
  warmupSeconds: number
  rounds: number
}

function settings(): Settings {
  const flags = readFlags(['duration', 'connections', 'rounds'])
  return {
    smoke: flags.smoke,
    connections: flags.int('connections', 'BENCH_CONNECTIONS', 50),
    durationSeconds: flags.int('duration', 'BENCH_DURATION', flags.smoke ? 2 : 8),
    warmupSeconds: flags.smoke ? 1 : 3,
    rounds: flags.int('rounds', 'BENCH_ROUNDS', flags.smoke ? 1 : 4),
  }
}

interface QueriesAnswer {
  total: number
  user: { id: number } | null
  page: { email: string }[]
}

/**
 * Before measuring anything: every endpoint must answer, and those with
 * queries with the same data (proof that the tenant routes really read
 * the bench tenant's schema).
 */
async function sameAnswers(bench: BenchApp) {
  const fingerprints = new Set<string>()
  for (const key of ORDER) {
    const url = `${bench.baseUrl}${ENDPOINTS[key].path}`
    const answer = await getJson<QueriesAnswer & { tenant?: string }>(url, {
      host: tenantHost(SLUG),
    })
    if (!ENDPOINTS[key].queries) {
      fingerprints.add(`tenant:${answer.tenant}`)
      continue
    }
    if (answer.total !== USERS || answer.page.length !== 10 || !answer.user) {
      return false
    }
    fingerprints.add(`${answer.total}:${answer.page.map((row) => row.email).join(',')}`)
  }
  return fingerprints.size === 2 && fingerprints.has(`tenant:${SLUG}`)
}

async function measure(bench: BenchApp, key: EndpointKey, seconds: number, connections: number) {
  bench.ensureRunning()
  const result = await load({
    url: `${bench.baseUrl}${ENDPOINTS[key].path}`,
    host: tenantHost(SLUG),
    connections,
    durationSeconds: seconds,
  })
  // Let the backlog of this run finish before the next one starts.
  await bench.drain()
  return result
}

async function alternate(bench: BenchApp, config: Settings): Promise<Run[]> {
  // Warm-up: JIT, the pool's connections, the tenant directory's cache.
  for (const key of ORDER) {
    await measure(bench, key, config.warmupSeconds, config.connections)
  }
  const runs: Run[] = []
  for (let round = 1; round <= config.rounds; round++) {
    // Every other round runs in reverse (a..f, f..a): a slow drift of the
    // machine, or one endpoint warming the next, then favours no endpoint.
    const order = round % 2 === 1 ? ORDER : ORDER.toReversed()
    for (const key of order) {
      const result = await measure(bench, key, config.durationSeconds, config.connections)
      runs.push({ round, key, result })
    }
  }
  return runs
}

function report(runs: Run[], config: Settings, checks: Checks) {
  const failures = runs.reduce((sum, run) => sum + run.result.failures, 0)
  checks.correctness('no request failed during the load runs', failures === 0)

  console.log(
    runHeader(`Tenant scoping overhead${config.smoke ? ' (smoke)' : ''}`, {
      ...machineFacts(),
      'Load': `autocannon (1 worker thread, same process), ${config.connections} connections, ${config.durationSeconds} s per run after ${config.warmupSeconds} s warm-up per endpoint; runs alternate ${ORDER.join(', ')} then the reverse, ${config.rounds} rounds`,
      'Data': `tenant "${SLUG}" with ${USERS} users; DB pool max ${process.env.DB_POOL_MAX ?? 10}`,
      'Queries per request': '(a)-(d): count users, fetch one user by id, list 10 users',
      'Server CPU per request': 'main-thread busy time (event loop utilization) / requests',
    })
  )
  console.log(`${runsTable(runs)}\n\n${summaryTables(runs, checks)}\n`)
}

async function main(): Promise<Checks> {
  const config = settings()
  const checks = new Checks(config.smoke)
  const registerRoutes = async () => {
    const { registerScopingRoutes } = await import('./scoping/routes.js')
    registerScopingRoutes({ schema: SCHEMA, users: USERS })
  }
  return withBenchApp('tandem_bench', { registerRoutes }, async (bench) => {
    const { provisionBenchTenant } = await import('./scoping/fixtures.js')
    const { schema } = await provisionBenchTenant(SLUG, USERS)
    if (!checks.correctness(`tenant schema is ${SCHEMA}`, schema === SCHEMA)) {
      return checks
    }
    if (!checks.correctness('all endpoints return the expected data', await sameAnswers(bench))) {
      return checks
    }
    report(await alternate(bench, config), config, checks)
    return checks
  })
}

await runBench(15 * 60_000, main)
