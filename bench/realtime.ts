/*
|--------------------------------------------------------------------------
| Benchmark: real time (Socket.IO gateway, chat fan-out, presence)
|--------------------------------------------------------------------------
|
| npm run bench:realtime [-- --smoke]
|   [-- --fanout-clients=1000 --fanout-rate=20 --fanout-duration=20
|       --channels=100 --channel-size=10 --throughput-duration=15
|       --presence-connections=5000 --presence-intervals=3 --warmup=3
|       --client-processes=2 --connect-batch=200]
|   [-- --scenarios=presence,fanout,throughput --servers=tandem,bare --cpu-prof]
|
| On a database of its own (tandem_bench_realtime) and a Redis server of its
| own (redis-server on a free port; BENCH_REDIS_URL to use another), the
| bench provisions one tenant with --fanout-clients members (a token each),
| a fan-out channel holding all of them and --channels channels of
| --channel-size members. Then it starts a real Tandem node (bin/server.ts,
| NODE_ENV=production, its own REDIS_PREFIX) and, after it, a bare Socket.IO
| server (bench/realtime/bare_server.ts) as the baseline, and measures each
| with the same socket.io-client sockets, held by --client-processes
| processes of their own:
|   presence     N idle sockets: server memory per connection (RSS from
|                /proc, V8 heap after GC); then each heartbeats every
|                PRESENCE_INTERVAL_MS at its own offset for 3 intervals:
|                Redis commands per heartbeat (INFO commandstats, MONITOR
|                for the presence share), server CPU (/proc/<pid>/stat);
|   fan-out      1,000 sockets in one channel, 20 messages/s: latency from
|                the send to every receiver (CLOCK_MONOTONIC, one machine);
|   throughput   100 channels x 10 sockets taking turns, one message in
|                flight per channel: messages/s stored and delivered to all
|                9 others, ack latency, lost/duplicated deliveries, seqs.
| Targets: fan-out p99 < 100 ms; >= 2,000 messages/s; <= 0.01 Redis
| commands per heartbeat. See docs/benchmarks.md, section 4.
*/
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './support/database.js'
import { Checks, machineFacts, runBench } from './support/runner.js'
import { runHeader, seconds, timed } from './support/report.js'
import { ClientPool } from './realtime/clients.js'
import { bootSetupApp, type Fixtures, type SetupApp } from './realtime/fixtures.js'
import { startRedis, type BenchRedis } from './realtime/redis.js'
import {
  connectionsAndPresence,
  fanout,
  throughput,
  type ConnectionsAndPresence,
  type Fanout,
  type Target,
  type Throughput,
} from './realtime/scenarios.js'
import { freePort, startBare, startTandem, type ServerUnderTest } from './realtime/servers.js'
import { machineBusy } from './realtime/proc.js'
import { readSettings, type ServerName, type Settings } from './realtime/settings.js'
import {
  connectionsTable,
  fanoutTable,
  presenceTable,
  redisNotes,
  throughputTable,
} from './realtime/report.js'

const DATABASE = 'tandem_bench_realtime'

interface Results {
  presence?: ConnectionsAndPresence
  fanout?: Fanout
  throughput?: Throughput
  server?: { bootMs: number; output: string }
}

async function runScenarios(settings: Settings, clients: ClientPool, target: Target) {
  const results: Results = {}
  if (settings.scenarios.includes('presence')) {
    results.presence = await connectionsAndPresence(settings, clients, target)
  }
  if (settings.scenarios.includes('fanout')) {
    results.fanout = await fanout(settings, clients, target)
  }
  if (settings.scenarios.includes('throughput')) {
    results.throughput = await throughput(settings, clients, target)
  }
  return results
}

async function main(): Promise<Checks> {
  const settings = readSettings()
  const checks = new Checks(settings.smoke)
  const databaseUrl = benchDatabaseUrl(DATABASE)
  const appKey = process.env.APP_KEY ?? randomBytes(32).toString('base64url')
  const redisPrefix = `bench-rt-${randomBytes(4).toString('hex')}`
  const busyBefore = await machineBusy(2000)

  let redis: BenchRedis | undefined
  let setupApp: SetupApp | undefined
  let clients: ClientPool | undefined
  let server: ServerUnderTest | undefined
  const results = new Map<ServerName, Results>()
  try {
    redis = await startRedis()
    await recreateDatabase(databaseUrl)
    // This process boots the app only to write the fixtures: production
    // settings, and no Redis (the node under test is the only user of it).
    process.env.DATABASE_URL = databaseUrl
    process.env.APP_KEY = appKey
    process.env.NODE_ENV ??= 'production'
    process.env.LOG_LEVEL ??= 'warn'
    process.env.SEED_DEMO = 'false'
    process.env.APP_DOMAIN ??= 'localhost'
    delete process.env.REDIS_URL
    delete process.env.EMBEDDED_DATABASE

    const setup = await timed(async () => {
      setupApp = await bootSetupApp()
      return setupApp.prepare({
        members: settings.members,
        fanoutMembers: settings.fanout.clients,
        throughputChannels: settings.throughput.channels,
        throughputMembers: settings.throughput.size,
        throughputTenants: settings.throughput.tenants,
      })
    })
    const fixtures: Fixtures = setup.value
    clients = await ClientPool.start(settings.clientProcesses)

    if (settings.servers.includes('tandem')) {
      server = await startTandem({
        port: await freePort(),
        databaseUrl,
        redisUrl: redis.url,
        redisPrefix,
        appKey,
        presenceIntervalMs: settings.presence.intervalMs,
        presenceTtlMs: settings.presence.ttlMs,
        cpuProfileDir: settings.cpuProfileDir && `${settings.cpuProfileDir}/tandem`,
      })
      const node = server
      const measured = await runScenarios(settings, clients, {
        server: node,
        host: fixtures.host,
        tokens: fixtures.tokens,
        fanoutChannelId: fixtures.fanoutChannelId,
        throughputChannels: fixtures.throughputChannels,
        redis,
        redisPrefix,
        checks: setupApp!,
      })
      await node.stop()
      measured.server = { bootMs: node.bootMs, output: node.output() }
      results.set('tandem', measured)
      server = undefined
    }
    if (settings.servers.includes('bare')) {
      server = await startBare(
        await freePort(),
        settings.cpuProfileDir && `${settings.cpuProfileDir}/bare`
      )
      const bare = server
      const measured = await runScenarios(settings, clients, {
        server: bare,
        host: fixtures.host,
        tokens: fixtures.tokens,
        fanoutChannelId: 1,
        // The same sockets (hosts and tokens are ignored); rooms 1..N.
        throughputChannels: fixtures.throughputChannels.map((channel, index) => ({
          ...channel,
          channelId: index + 1,
        })),
      })
      await bare.stop()
      measured.server = { bootMs: bare.bootMs, output: bare.output() }
      results.set('bare', measured)
      server = undefined
    }

    report(settings, checks, results, {
      busyBefore,
      setupMs: setup.ms,
      fixtures,
      redis,
      redisPrefix,
    })
    return checks
  } finally {
    await server?.stop().catch(() => {})
    await clients?.stop().catch(() => {})
    await setupApp?.stop().catch(() => {})
    await redis?.stop().catch(() => {})
    await dropDatabase(databaseUrl)
  }
}

/** The code measured: the commit, and whether the tree had uncommitted app changes. */
function codeUnderTest() {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim()
    const commit = git('rev-parse', '--short', 'HEAD')
    const changed = git('status', '--porcelain', '--', 'app', 'providers', 'config', 'start', 'bin')
    const count = changed ? changed.split('\n').length : 0
    return `commit ${commit}${count > 0 ? ` + ${count} uncommitted file(s) under app/, providers/, config/, start/, bin/` : ''}`
  } catch {
    return 'unknown (no git)'
  }
}

function report(
  settings: Settings,
  checks: Checks,
  results: Map<ServerName, Results>,
  run: {
    busyBefore: number
    setupMs: number
    fixtures: Fixtures
    redis: BenchRedis
    redisPrefix: string
  }
) {
  const tandem = results.get('tandem')
  const bare = results.get('bare')
  const { fanout: f, throughput: t, presence: p } = settings
  console.log(
    runHeader(`Real time${settings.smoke ? ' (smoke)' : ''}`, {
      ...machineFacts(),
      'Machine busy before the run (2 s sample, 100 % per core)': `${run.busyBefore.toFixed(0)} %`,
      'Code': codeUnderTest(),
      'Setup': `tenant "${run.fixtures.host}" (TenantProvisioner), ${settings.members} members (bulk SQL) with an access token each, 1 fan-out channel of ${f.clients} members and ${t.channels} channels of ${t.size} (ChannelAdministration): ${seconds(run.setupMs)}`,
      'Tandem': `one node, bin/server.ts in a process of its own (NODE_ENV=production, LOG_LEVEL=warn, DB pool max ${process.env.DB_POOL_MAX ?? 10}, events dispatched in the web process, PRESENCE_INTERVAL_MS=${p.intervalMs}), booted in ${tandem?.server ? seconds(tandem.server.bootMs) : '-'}`,
      'Baseline': `bare Socket.IO 4 (bench/realtime/bare_server.ts: websocket only, no auth, database, tenancy or Redis), same clients, counts, rates and durations, measured after Tandem`,
      'Clients': `socket.io-client (websocket transport), ${settings.clientProcesses} processes of their own, ${settings.connectBatch} handshakes in flight at once; all processes share the machine's cores with the server, PostgreSQL and Redis`,
      'Redis': `${run.redis.private ? 'a redis-server of the bench, used by nothing else' : `${run.redis.url} (shared)`}, REDIS_PREFIX=${run.redisPrefix}`,
      'Presence': `${p.connections} connections (sockets of ${settings.members} members in turn), each heartbeating every ${seconds(p.intervalMs)} at offset index/N of the interval, ${p.intervals} intervals`,
      'Fan-out': `${f.clients} sockets in one channel, ${f.rate} messages/s from ${f.senders} of them in turn (open loop), ${seconds(settings.warmupMs)} warm-up then ${seconds(f.durationMs)} timed`,
      'Throughput': `${t.channels} channels x ${t.size} sockets, members take turns, one message in flight per channel (closed loop), ${seconds(settings.warmupMs)} warm-up then a ${seconds(t.durationMs)} window`,
    })
  )
  const sections: [string, string | undefined][] = [
    [
      `### Fan-out: ${f.clients} sockets in one channel, ${f.rate} messages/s`,
      tandem?.fanout || bare?.fanout
        ? fanoutTable(checks, tandem?.fanout, bare?.fanout)
        : undefined,
    ],
    [
      `### Throughput: ${t.channels} channels x ${t.size} sockets`,
      tandem?.throughput || bare?.throughput
        ? throughputTable(checks, tandem?.throughput, bare?.throughput)
        : undefined,
    ],
    [
      `### Presence: ${p.connections} connections heartbeating every ${seconds(p.intervalMs)}`,
      tandem?.presence || bare?.presence
        ? presenceTable(checks, tandem?.presence, bare?.presence)
        : undefined,
    ],
    [
      `### Connections: memory per idle socket at ${p.connections}`,
      tandem?.presence || bare?.presence
        ? connectionsTable(checks, tandem?.presence, bare?.presence)
        : undefined,
    ],
  ]
  for (const [title, table] of sections) {
    if (table) {
      console.log(`${title}\n\n${table}\n`)
    }
  }
  const notes = redisNotes(tandem?.presence, tandem?.fanout, tandem?.throughput)
  const errors = [...results].flatMap(([name, side]) =>
    [
      side.presence?.connect.firstError,
      side.presence?.presence.firstError,
      side.fanout?.connect.firstError,
      side.fanout?.joins.firstError,
      side.fanout?.messages.firstError,
      side.throughput?.connect.firstError,
      side.throughput?.joins.firstError,
      side.throughput?.firstError,
    ]
      .filter(Boolean)
      .map((error) => `${name}: ${error}`)
  )
  if (notes) {
    console.log(`${notes}\n`)
  }
  if (errors.length > 0) {
    console.log(`First errors seen by the clients: ${errors.join('; ')}\n`)
  }
  const log = tandem?.server?.output.trim()
  if (log) {
    const lines = log.split('\n')
    console.log(
      `Tandem node output (LOG_LEVEL=warn), ${lines.length} lines, last ones:\n\n\`\`\`\n${lines.slice(-10).join('\n')}\n\`\`\`\n`
    )
  }
  if (settings.cpuProfileDir) {
    console.log(`CPU profiles of the servers written under ${settings.cpuProfileDir}/`)
  }
}

await runBench(settingsDeadline(), main)

function settingsDeadline() {
  return process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1'
    ? 3 * 60_000
    : 15 * 60_000
}
