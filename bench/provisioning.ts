/*
|--------------------------------------------------------------------------
| Benchmark: provisioning, migrating and serving many tenants
|--------------------------------------------------------------------------
|
| npm run bench:provisioning [-- --smoke] [-- --tenants=1000]
|
| On a fresh database of its own (tandem_bench_provisioning), with the app
| booted in this process:
|   1. creates tenants one by one through TenantProvisioner (p50/p95);
|   2. creates more, up to --tenants in total (total time);
|   3. runs TenantMigrations with nothing pending (concurrency 8);
|   4. runs it again with one new tenant migration (adds a users column);
|   5. sends one authenticated request to every tenant's host while
|      sampling the database connections the app holds.
*/
import type { BenchTenant } from './provisioning/tenants.js'
import { withBenchApp, type BenchApp } from './support/app.js'
import { Checks, machineFacts, readFlags, runBench } from './support/runner.js'
import {
  markdownTable,
  ms,
  percentile,
  runHeader,
  seconds,
  timed,
  verdict,
  type Cell,
} from './support/report.js'

/** Tokens are minted before the connections phase, this many at a time. */
const TOKEN_CONCURRENCY = 8

const TARGETS = {
  createP95Ms: 1_000,
  migrateNothingPendingMs: 30_000,
  migrateNewMs: 120_000,
}

interface Settings {
  smoke: boolean
  tenants: number
  timedCreates: number
  createConcurrency: number
  migrateConcurrency: number
  requestConcurrency: number
  poolMax: number
}

function settings(): Settings {
  const flags = readFlags([
    'tenants',
    'timed',
    'create-concurrency',
    'concurrency',
    'requests-concurrency',
  ])
  const tenants = flags.int('tenants', 'BENCH_TENANTS', flags.smoke ? 20 : 1000)
  return {
    smoke: flags.smoke,
    tenants,
    timedCreates: Math.min(
      tenants,
      flags.int('timed', 'BENCH_TIMED_CREATES', flags.smoke ? 5 : 20)
    ),
    createConcurrency: flags.int('create-concurrency', 'BENCH_CREATE_CONCURRENCY', 4),
    migrateConcurrency: flags.int('concurrency', 'BENCH_MIGRATE_CONCURRENCY', 8),
    requestConcurrency: flags.int('requests-concurrency', 'BENCH_REQUEST_CONCURRENCY', 50),
    poolMax: Number(process.env.DB_POOL_MAX ?? 10),
  }
}

type Row = Cell[]

function countBy<T>(items: T[], key: (item: T) => string) {
  const counts = new Map<string, number>()
  for (const item of items) {
    counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  }
  return [...counts].map(([name, count]) => `${name}: ${count}`).join(', ')
}

async function provisioningPhases(config: Settings, checks: Checks) {
  const { createConcurrently, createTimed, slugFor } = await import('./provisioning/tenants.js')
  const { compareSchemaStrategies } = await import('./provisioning/schema_strategies.js')
  const slugs = Array.from({ length: config.tenants }, (_, index) => slugFor(index + 1))

  const first = await createTimed(slugs.slice(0, config.timedCreates))
  const p50 = percentile(first.durations, 50)
  const p95 = percentile(first.durations, 95)
  const rest = await timed(() =>
    createConcurrently(slugs.slice(config.timedCreates), config.createConcurrency)
  )
  const tenants = [...first.tenants, ...rest.value]
  checks.correctness('every tenant was created', tenants.length === config.tenants)

  const rows: Row[] = [
    [
      `Create ${config.timedCreates} tenants one by one (TenantProvisioner.create)`,
      `p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...first.durations))}`,
      `p95 < ${TARGETS.createP95Ms} ms`,
      checks.target('tenant creation p95', p95 < TARGETS.createP95Ms),
    ],
    [
      `Create ${rest.value.length} more, ${config.createConcurrency} at a time (${config.tenants} in total)`,
      `${seconds(rest.ms)} (${ms(rest.ms / Math.max(1, rest.value.length))} per tenant)`,
      '-',
      '-',
    ],
  ]
  const strategies = await compareSchemaStrategies(config.timedCreates)
  checks.correctness('both schema strategies build the same tables', strategies.sameShape)
  for (const [label, durations] of [
    ['run the tenant migrations (what create does)', strategies.migrate],
    ['load the same DDL as one dump', strategies.loadDump],
  ] as const) {
    rows.push([
      `Schema only, ${config.timedCreates} times: ${label}`,
      `p50 ${ms(percentile(durations, 50))}, p95 ${ms(percentile(durations, 95))}`,
      '-',
      '-',
    ])
  }
  return { tenants, rows }
}

async function migrationPhases(config: Settings, checks: Checks): Promise<Row[]> {
  const migrations = await import('./provisioning/migrations.js')
  const n = config.tenants
  const c = config.migrateConcurrency

  const idle = await migrations.migrateAllTenants(c)
  const upToDate = idle.outcomes.filter((outcome) => outcome.status === 'up-to-date').length
  checks.correctness('nothing-pending run: every tenant up to date', upToDate === n)

  const extra = await migrations.migrateAllTenantsWithNewMigration(c)
  const migrated = extra.outcomes.filter(
    (outcome) =>
      outcome.status === 'migrated' && outcome.migrations.join() === migrations.EXTRA_MIGRATION
  ).length
  checks.correctness('new migration: applied on every tenant', migrated === n)
  const withColumn = await migrations.schemasWithNewColumn()
  checks.correctness('new migration: column present in every tenant schema', withColumn === n)

  return [
    [
      `TenantMigrations.run, nothing pending, ${n} tenants, concurrency ${c}`,
      `${seconds(idle.ms)} (${countBy(idle.outcomes, (o) => o.status)})`,
      `< ${seconds(TARGETS.migrateNothingPendingMs)} for 1000`,
      checks.target('migrate, nothing pending', idle.ms < TARGETS.migrateNothingPendingMs),
    ],
    [
      `TenantMigrations.run, 1 new migration (ALTER TABLE users ADD COLUMN), ${n} tenants, concurrency ${c}`,
      `${seconds(extra.ms)} (${countBy(extra.outcomes, (o) => o.status)}; column in ${withColumn} schemas)`,
      `< ${seconds(TARGETS.migrateNewMs)} for 1000`,
      checks.target('migrate, one new migration', extra.ms < TARGETS.migrateNewMs),
    ],
  ]
}

async function connectionPhase(
  bench: BenchApp,
  databaseUrl: string,
  tenants: BenchTenant[],
  config: Settings,
  checks: Checks
): Promise<{ rows: Row[]; detail: string }> {
  const { ownerTokens } = await import('./provisioning/tenants.js')
  const { connectionsWhileHittingEveryTenant } = await import('./provisioning/connections.js')
  const tokens = await ownerTokens(tenants, TOKEN_CONCURRENCY)
  await bench.drain()

  const { hits, samples } = await connectionsWhileHittingEveryTenant({
    databaseUrl,
    baseUrl: bench.baseUrl,
    tokens,
    concurrency: config.requestConcurrency,
  })
  const ok = hits.statuses.get(200) ?? 0
  checks.correctness('every tenant answered 200', ok === tenants.length)
  const withinPool = checks.correctness(
    `database connections <= pool max (${config.poolMax})`,
    samples.maxOpen <= config.poolMax
  )

  const statuses = [...hits.statuses].map(([status, count]) => `${status}: ${count}`).join(', ')
  const detail = markdownTable(
    ['Connections phase', 'Value'],
    [
      [
        'Requests',
        `${tenants.length} x GET /api/v1/me (bearer token), one per tenant host, ${config.requestConcurrency} concurrent`,
      ],
      ['Duration', `${seconds(hits.ms)} (${(tenants.length / (hits.ms / 1000)).toFixed(0)} req/s)`],
      ['Status codes', statuses],
      ['pg_stat_activity samples (every 50 ms)', samples.samples],
      ['Pool backends already open when the phase started', samples.initialOpen],
      ['Max pool backends open (idle or not)', samples.maxOpen],
      ['Max pool backends busy (not idle)', samples.maxBusy],
      ['Max pool size reported by the pool (in-process)', samples.maxPoolSize],
      ['LISTEN connections seen (not counted above)', samples.maxListeners],
    ]
  )
  return {
    detail,
    rows: [
      [
        `DB connections while ${tenants.length} tenants are each hit once`,
        `max ${samples.maxOpen} open (${samples.maxBusy} busy at once)`,
        `<= pool max (${config.poolMax})`,
        verdict(withinPool),
      ],
    ],
  }
}

function report(config: Settings, rows: Row[], detail: string) {
  console.log(
    runHeader(`Provisioning ${config.tenants} tenants${config.smoke ? ' (smoke)' : ''}`, {
      ...machineFacts(),
      'Database': `fresh database, DB pool max ${config.poolMax}`,
      'Counted as connections':
        'client backends on the benchmark database in pg_stat_activity, minus the sampler and the tenant directory LISTEN connection',
    })
  )
  console.log(markdownTable(['Step', 'Measured', 'Target', 'Result'], rows))
  console.log(`\n${detail}\n`)
}

async function main(): Promise<Checks> {
  const config = settings()
  const checks = new Checks(config.smoke)
  return withBenchApp('tandem_bench_provisioning', {}, async (bench, databaseUrl) => {
    const provisioned = await provisioningPhases(config, checks)
    bench.ensureRunning()
    const migrated = await migrationPhases(config, checks)
    bench.ensureRunning()
    const connections = await connectionPhase(
      bench,
      databaseUrl,
      provisioned.tenants,
      config,
      checks
    )
    report(config, [...provisioned.rows, ...migrated, ...connections.rows], connections.detail)
    return checks
  })
}

await runBench(30 * 60_000, main)
