/*
|--------------------------------------------------------------------------
| Benchmark: the SCIM 2.0 server, an IdP's full import and userName lookups
|--------------------------------------------------------------------------
|
| npm run bench:scim [-- --smoke]
|   [-- --users=10000 --concurrency=20 --requests=2000 --filter-concurrency=10]
|
| Boots the app in this process on a database of its own
| (tandem_bench_scim), REDIS_PREFIX=tandem-bench-scim, provisions one
| tenant (TenantProvisioner) whose owner creates two SCIM tokens
| (POST /api/v1/scim/tokens), then from a worker thread (node:http
| keep-alive clients, one request at a time each, application/scim+json):
|   import    --users users created by POST /scim/v2/Users, --concurrency
|             requests at a time, with one token; then GET /Users?count=0
|             must count them and the owner;
|   baseline  GET /scim/v2/ServiceProviderConfig (SCIM auth and tenant
|             resolution, no query);
|   filter    GET /scim/v2/Users?filter=userName eq "<random imported user>",
|             each answer exactly that user;
| baseline and filter --requests each at --filter-concurrency, in halves
| ordered baseline, filter, filter, baseline after a warm-up, with the
| other token. Targets: 10,000 users imported in < 60 s with zero errors;
| filter p99 < 50 ms with 10,000 users. The per-token cap
| (SCIM_REQUESTS_PER_MINUTE) keeps its default: a 429 is an error.
*/
import { withBenchApp } from './support/app.js'
import { Checks, machineFacts, readFlags, runBench } from './support/runner.js'
import { percentile, runHeader, seconds, timed, verdict } from './support/report.js'
import type { ScimCallKind } from './scim/requests.js'
import type { ScimPhase } from './scim/load.js'
import { failures, maxOf, measured, type Measured } from './scim/report.js'

const DATABASE = 'tandem_bench_scim'
const IMPORT_TARGET_MS = 60_000
const FILTER_P99_TARGET_MS = 50

function settings() {
  const flags = readFlags(['users', 'concurrency', 'requests', 'filter-concurrency'])
  const smoke = flags.smoke
  return {
    smoke,
    users: flags.int('users', 'BENCH_USERS', smoke ? 50 : 10_000),
    concurrency: flags.int('concurrency', 'BENCH_CONCURRENCY', smoke ? 5 : 20),
    requests: flags.int('requests', 'BENCH_REQUESTS', smoke ? 100 : 2000),
    filterConcurrency: flags.int('filter-concurrency', 'BENCH_FILTER_CONCURRENCY', smoke ? 5 : 10),
    /** Of each read endpoint, before the measured halves. */
    warmupRequests: smoke ? 20 : 300,
  }
}

/** `count` user numbers picked at random in 1..users. */
const randomUsers = (count: number, users: number) =>
  Array.from({ length: count }, () => 1 + Math.floor(Math.random() * users))

async function main(): Promise<Checks> {
  const config = settings()
  const checks = new Checks(config.smoke)
  // Before the app boots: Redis keys (rate-limit counters, bull wake-ups) apart from other runs.
  process.env.REDIS_PREFIX = 'tandem-bench-scim'

  return withBenchApp(DATABASE, {}, async (bench) => {
    const { prepareTenant, analyzeUsers } = await import('./scim/fixtures.js')
    const { runScimLoad } = await import('./scim/load.js')
    const { sendScim } = await import('./scim/http.js')
    const { phaseTable } = await import('./scim/report.js')
    const { backlog, settleBacklog } = await import('./plugins_bench/installations.js')

    const setup = await timed(() => prepareTenant(bench.baseUrl))
    const tenant = setup.value
    const load = (kind: ScimCallKind, users: number[], concurrency: number, token: string) => {
      bench.ensureRunning()
      return runScimLoad({
        baseUrl: bench.baseUrl,
        host: tenant.host,
        token,
        kind,
        users,
        concurrency,
      })
    }

    // An IdP's first import: no warm-up.
    const everyUser = Array.from({ length: config.users }, (_, index) => index + 1)
    const imported = measured([
      await load('create', everyUser, config.concurrency, tenant.importToken),
    ])
    // The import's events (member.joined) are delivered in this process:
    // the reads start once they all are, so they do not compete with it.
    const pendingEvents = await backlog([tenant.bound], false)
    const delivery = await timed(() =>
      settleBacklog([tenant.bound], false, config.smoke ? 30_000 : 300_000)
    )
    checks.correctness('every event of the import delivered before the reads', delivery.value)
    await bench.drain()
    const listed = await sendScim(`${bench.baseUrl}/scim/v2/Users?count=0`, {
      method: 'GET',
      host: tenant.host,
      token: tenant.readToken,
    })
    const counted = listed.status === 200 ? JSON.parse(listed.body).totalResults : listed.status
    const countRight = checks.correctness(
      'GET /Users?count=0 counts the imported users and the owner',
      counted === config.users + 1
    )

    await analyzeUsers(tenant.bound)
    const reads = (kind: 'baseline' | 'filter', count: number) =>
      load(kind, randomUsers(count, config.users), config.filterConcurrency, tenant.readToken)
    const warmups = [
      await reads('baseline', config.warmupRequests),
      await reads('filter', config.warmupRequests),
    ]
    await bench.drain()
    const halves: Record<'baseline' | 'filter', ScimPhase[]> = { baseline: [], filter: [] }
    for (const kind of ['baseline', 'filter', 'filter', 'baseline'] as const) {
      halves[kind].push(await reads(kind, Math.ceil(config.requests / 2)))
      await bench.drain()
    }
    const baseline = measured(halves.baseline)
    const filter = measured(halves.filter)

    const phases: [string, Measured][] = [
      ['import', imported],
      ['read warm-up', measured(warmups)],
      ['baseline', baseline],
      ['filter', filter],
    ]
    for (const [name, phase] of phases) {
      if (phase.firstProblem) {
        console.error(`${name}: ${phase.firstProblem}`)
      }
      checks.correctness(`${name}: every answer right, no socket error`, failures(phase) === 0)
    }

    const redis = Boolean(process.env.REDIS_URL)
    const perMinute = process.env.SCIM_REQUESTS_PER_MINUTE ?? 'unset (the app default)'
    console.log(
      runHeader(`SCIM 2.0 server${config.smoke ? ' (smoke)' : ''}`, {
        ...machineFacts(),
        Data: `1 tenant (TenantProvisioner), its owner and 2 SCIM tokens (POST /api/v1/scim/tokens); setup ${seconds(setup.ms)}; then the users the import creates`,
        Import: `${config.users} x POST /scim/v2/Users (application/scim+json; userName, name, emails, displayName, active, externalId), ${config.concurrency} concurrent clients (node:http keep-alive, 1 worker thread of this process), one request at a time each, one token, no warm-up`,
        Reads: `${config.requests} requests each of baseline and filter (a random imported user each), ${config.filterConcurrency} concurrent clients, in halves ordered baseline, filter, filter, baseline after ${config.warmupRequests} warm-up requests of each; the second token; ANALYZE of users and scim_users first`,
        App: `in this process (bin/ignite.ts boot, NODE_ENV=${process.env.NODE_ENV}), DB pool max ${process.env.DB_POOL_MAX ?? 10}; events delivered in this process (${pendingEvents} of the import's still pending after its last 201, delivered ${seconds(delivery.ms)} later, before the reads); rate-limit counters ${redis ? `in Redis (prefix ${process.env.REDIS_PREFIX})` : 'in memory (REDIS_URL not set)'}, per-token cap SCIM_REQUESTS_PER_MINUTE=${perMinute}`,
      })
    )
    console.log(
      phaseTable(
        [
          { phase: 'import: POST /Users', concurrency: config.concurrency, load: imported },
          {
            phase: 'baseline: GET /ServiceProviderConfig',
            concurrency: config.filterConcurrency,
            load: baseline,
          },
          {
            phase: 'filter: GET /Users?filter=userName eq "..."',
            concurrency: config.filterConcurrency,
            load: filter,
          },
        ],
        baseline
      )
    )
    console.log('')
    const importErrors = failures(imported)
    const importTime = checks.target(
      `import of ${config.users} users < ${IMPORT_TARGET_MS / 1000} s`,
      imported.elapsedMs < IMPORT_TARGET_MS && importErrors === 0
    )
    console.log(
      `Verdict: ${config.users} users imported in ${seconds(imported.elapsedMs)} (${(config.users / (imported.elapsedMs / 1000)).toFixed(0)} users/s) at ${config.concurrency} concurrent requests (target < ${IMPORT_TARGET_MS / 1000} s): ${importTime}; errors ${importErrors} (target 0): ${verdict(importErrors === 0)}; GET /Users?count=0 afterwards: totalResults ${counted} (expected ${config.users + 1}, the owner included): ${verdict(countRight)}`
    )
    const filterP99 = percentile(filter.latencies, 99)
    const filterResult = checks.target(
      `filter p99 < ${FILTER_P99_TARGET_MS} ms`,
      filterP99 < FILTER_P99_TARGET_MS && failures(filter) === 0
    )
    console.log(
      `Verdict: userName filter p99 ${filterP99.toFixed(1)} ms with ${config.users} users (target < ${FILTER_P99_TARGET_MS} ms): ${filterResult}; p50 ${percentile(filter.latencies, 50).toFixed(1)} ms, max ${maxOf(filter.latencies).toFixed(1)} ms; ${(filterP99 / percentile(baseline.latencies, 99)).toFixed(2)} x the baseline p99 (${percentile(baseline.latencies, 99).toFixed(1)} ms); wrong answers ${failures(filter)}: ${verdict(failures(filter) === 0)}`
    )
    return checks
  })
}

await runBench(15 * 60_000, main)
