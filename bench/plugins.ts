/*
|--------------------------------------------------------------------------
| Benchmark: event delivery to plugins, and what it costs core requests
|--------------------------------------------------------------------------
|
| npm run bench:plugins [-- --smoke]
|   [-- --tenants=200 --tasks=100 --clients=20 --writers=5 --duration=20 --rounds=2]
|   [-- --rate=N]
|
| Boots the app in this process on a database of its own
| (tandem_bench_plugins), with PLUGIN_DIRS=bench/plugins (three bench
| plugins taking task.*, each writing one row to its own table and one
| key to its store per event) and REDIS_PREFIX=tandem-bench-plugins.
| Provisions --tenants tenants (TenantProvisioner), each with one project
| of --tasks tasks, and installs the three plugins in every tenant
| (PluginInstaller). Then, alternating over --rounds rounds, two phases
| on the same tenants:
|   no plugins  the three plugins disabled in every tenant;
|   3 plugins   the three plugins enabled in every tenant;
| in each, --clients concurrent clients (--writers of them creating tasks,
| POST /api/v1/projects/:id/tasks, the others reading a project's tasks,
| GET /api/v1/projects/:id/tasks?limit=25) send one request at a time to
| random tenants. With --rate=N the load is open-loop instead: N requests
| started per second whatever the answers, split between the two
| endpoints as writers and readers are. Events are delivered by the app's own dispatcher in this
| web process (bull wake-ups when REDIS_URL is set), as EVENTS_DISPATCH=web.
| Target: core request p99 with plugins <= 1.05 x without (same run);
| reported: event -> plugin handler lag, events lost or duplicated.
*/
import { Checks, machineFacts, readFlags, runBench } from './support/runner.js'
import { percentile, runHeader, seconds, timed, verdict } from './support/report.js'
import { withBenchApp } from './support/app.js'
import { DeliveryLog } from './work_api/delivery_log.js'
import { ENDPOINTS, PAGE_SIZE, type CreatedTask } from './work_api/endpoints.js'
import { BENCH_PLUGIN_IDS } from './plugins_bench/bench_plugin.js'
import { onDelivery } from './plugins_bench/recorder.js'
import { MODE_LABELS, totals, type Mode, type Run } from './plugins_bench/report.js'

const DATABASE = 'tandem_bench_plugins'
const P99_RATIO_TARGET = 1.05

interface Settings {
  smoke: boolean
  tenants: number
  tasks: number
  clients: number
  writers: number
  seconds: number
  rounds: number
  /** Requests started per second in total (open loop); 0: closed loop (--clients). */
  rate: number
  warmupMs: number
  /** How long events may take to reach the plugins (or the backlog to clear) after a phase. */
  deliveryTimeoutMs: number
}

function settings(): Settings {
  const flags = readFlags(['tenants', 'tasks', 'clients', 'writers', 'duration', 'rounds', 'rate'])
  const smoke = flags.smoke
  const config = {
    smoke,
    tenants: flags.int('tenants', 'BENCH_TENANTS', smoke ? 5 : 200),
    tasks: flags.int('tasks', 'BENCH_TASKS', smoke ? 10 : 100),
    clients: flags.int('clients', 'BENCH_CLIENTS', smoke ? 4 : 20),
    writers: flags.int('writers', 'BENCH_WRITERS', smoke ? 2 : 5),
    seconds: flags.int('duration', 'BENCH_DURATION', smoke ? 2 : 20),
    rounds: flags.int('rounds', 'BENCH_ROUNDS', smoke ? 1 : 2),
    rate: flags.int('rate', 'BENCH_RATE', 0),
    warmupMs: smoke ? 500 : 3000,
    deliveryTimeoutMs: smoke ? 15_000 : 120_000,
  }
  if (config.writers >= config.clients) {
    throw new Error('--writers must be fewer than --clients (the others read)')
  }
  return config
}

/*
 * Set before the app boots (start/env.ts reads process.env then): the
 * bench plugins are discovered beside plugins/, and Redis keys (bull
 * wake-ups, plugin jobs) stay apart from other runs on the same server.
 */
function prepareEnvironment() {
  const extra = (process.env.PLUGIN_DIRS ?? '').split(',').filter(Boolean)
  process.env.PLUGIN_DIRS = [...new Set([...extra, 'bench/plugins'])].join(',')
  process.env.REDIS_PREFIX = 'tandem-bench-plugins'
}

async function main(): Promise<Checks> {
  const config = settings()
  const checks = new Checks(config.smoke)
  prepareEnvironment()
  const logs = new Map(BENCH_PLUGIN_IDS.map((id) => [id as string, new DeliveryLog()]))
  onDelivery((pluginId, delivery) => logs.get(pluginId)?.record(delivery))

  try {
    return await withBenchApp(DATABASE, {}, async (bench) => {
      const { prepareFixtures, countCreatedTasks } = await import('./work_api/fixtures.js')
      const { runLoad } = await import('./work_api/load.js')
      const { runPaced } = await import('./plugins_bench/paced.js')
      const { combine } = await import('./work_api/report.js')
      const plugins = await import('./plugins_bench/installations.js')
      const { latencyTable, runsTable, deliveryTable } = await import('./plugins_bench/report.js')
      const { PluginRegistry } = await import('#plugins/services/plugin_registry')
      const app = bench.app

      const registry = await app.container.make(PluginRegistry)
      const missing = BENCH_PLUGIN_IDS.filter((id) => !registry.find(id))
      if (!checks.correctness('the bench plugins are discovered', missing.length === 0)) {
        console.error(`Not in the plugin catalog: ${missing.join(', ')}`)
        return checks
      }

      const setup = await timed(() => prepareFixtures(bench.baseUrl, config.tenants, config.tasks))
      const { targets, tenants } = setup.value
      const install = await timed(() => plugins.installBenchPlugins(tenants))

      let runs = 0
      let enabled = true
      const created: CreatedTask[] = []
      /** Tasks created while the plugins were enabled (they must receive exactly these). */
      const createdWithPlugins: CreatedTask[] = []
      let settled = true
      const toggleMs: number[] = []

      const setMode = async (mode: Mode) => {
        const wanted = mode === 'plugins'
        if (enabled !== wanted) {
          const toggle = await timed(() => plugins.setBenchPluginsEnabled(tenants, wanted))
          toggleMs.push(toggle.ms)
          enabled = wanted
        }
        // Start from an empty backlog (the toggles' own events, the last phase's tail).
        settled =
          (await plugins.settleBacklog(tenants, enabled, config.deliveryTimeoutMs)) && settled
        await bench.drain()
      }

      /** Writers and readers at once; then waits until the plugins got every task. */
      const phase = async (mode: Mode, durationMs: number) => {
        bench.ensureRunning()
        await setMode(mode)
        const label = `r${++runs}`
        const readers = config.clients - config.writers
        const [create, list] = await Promise.all([
          load({ ...job('create', config.writers, durationMs), label: `${label}c` }),
          load({ ...job('list', readers, durationMs), label: `${label}l` }),
        ])
        for (const result of [create, list]) {
          if (result.firstProblem) {
            console.error(`${mode}: ${result.firstProblem}`)
          }
        }
        created.push(...create.created)
        if (mode === 'plugins') {
          createdWithPlugins.push(...create.created)
          for (const log of logs.values()) {
            settled = (await log.waitFor(create.created, config.deliveryTimeoutMs)) && settled
          }
        }
        await bench.drain()
        return { create, list }
      }
      const job = (endpoint: 'create' | 'list', clients: number, durationMs: number) => ({
        baseUrl: bench.baseUrl,
        endpoint,
        targets,
        clients,
        durationMs,
        // Open loop: the endpoint's share of the requests, as its share of the clients.
        rate: (config.rate * clients) / config.clients,
      })
      const load = (loadJob: ReturnType<typeof job> & { label: string }) =>
        config.rate > 0 ? runPaced(loadJob) : runLoad(loadJob)

      // Warm-up (not reported): JIT, pools, tenant and installation caches.
      await phase('plugins', config.warmupMs)
      await phase('none', config.warmupMs)

      const measured: Run[] = []
      for (let round = 1; round <= config.rounds; round++) {
        const order: Mode[] = round % 2 === 1 ? ['none', 'plugins'] : ['plugins', 'none']
        for (const mode of order) {
          measured.push({ round, mode, ...(await phase(mode, config.seconds * 1000)) })
        }
      }
      await setMode('none')

      // What each plugin received, per "3 plugins" run.
      const pluginRuns = measured.filter((run) => run.mode === 'plugins')
      const entries = await plugins.entriesPerPlugin(tenants)
      const deliveries = [...logs].map(([pluginId, log]) => ({
        pluginId,
        reports: pluginRuns.map((run) => log.report(run.create.created, run.create)),
        entries: entries.get(pluginId) ?? 0,
        distinctEvents: new Set(log.deliveries.map((delivery) => delivery.eventId)).size,
      }))

      // Correctness.
      const createdInDatabase = await countCreatedTasks(tenants, config.tasks)
      checks.correctness(
        'tasks in the database = 201 answers',
        createdInDatabase === new Set(created.map((t) => `${t.tenantId}:${t.taskId}`)).size
      )
      checks.correctness('the backlog cleared before each phase, every event delivered', settled)
      for (const run of measured) {
        for (const result of [run.create, run.list]) {
          checks.correctness(
            `${MODE_LABELS[run.mode]}, round ${run.round}: no request failed`,
            result.errors + result.wrongAnswers === 0
          )
        }
      }
      for (const plugin of deliveries) {
        const total = totals(plugin.reports)
        checks.correctness(`${plugin.pluginId}: no event lost`, total.lost === 0)
        checks.correctness(
          `${plugin.pluginId}: no duplicate after dedupe by event id`,
          total.duplicatesAfterDedupe === 0
        )
        checks.correctness(
          `${plugin.pluginId}: nothing received for tasks created while disabled`,
          logs.get(plugin.pluginId)!.unexpected(createdWithPlugins) === 0
        )
        checks.correctness(
          `${plugin.pluginId}: one table row per event received`,
          plugin.entries === plugin.distinctEvents
        )
      }

      const byMode = (mode: Mode, endpoint: 'create' | 'list') =>
        combine(measured.filter((run) => run.mode === mode).map((run) => run[endpoint]))
      const endpoints = [
        {
          label: 'POST /projects/:id/tasks',
          none: byMode('none', 'create'),
          plugins: byMode('plugins', 'create'),
        },
        {
          label: `GET /projects/:id/tasks?limit=${PAGE_SIZE}`,
          none: byMode('none', 'list'),
          plugins: byMode('plugins', 'list'),
        },
      ]

      const redis = Boolean(process.env.REDIS_URL)
      console.log(
        runHeader(`Plugins: event delivery overhead${config.smoke ? ' (smoke)' : ''}`, {
          ...machineFacts(),
          Data: `${config.tenants} tenants (TenantProvisioner), 1 project each (POST /api/v1/projects), ${config.tasks} tasks each (bulk SQL); setup ${seconds(setup.ms)}`,
          Plugins: `${BENCH_PLUGIN_IDS.join(', ')} (bench/plugins/, PLUGIN_DIRS) installed in every tenant through PluginInstaller (${seconds(install.ms)} for ${BENCH_PLUGIN_IDS.length * config.tenants} installs); each takes task.* and per event inserts one row into its own table and writes one store key; disabled / enabled in every tenant between phases (PluginInstaller.setEnabled, ${toggleMs.map(seconds).join(', ')})`,
          Load: `${config.rate > 0 ? `open loop: ${config.rate} requests started per second whatever the answers (2 worker threads of this process, node:http keep-alive; latency from the scheduled start), each to a random tenant host: ${(config.rate * config.writers) / config.clients}/s ${ENDPOINTS.create.label}, ${(config.rate * (config.clients - config.writers)) / config.clients}/s ${ENDPOINTS.list.label}` : `${config.clients} concurrent clients (2 worker threads of this process, node:http keep-alive), each sending one request at a time to a random tenant host: ${config.writers} send ${ENDPOINTS.create.label}, ${config.clients - config.writers} send ${ENDPOINTS.list.label}`}; ${config.seconds} s per phase x ${config.rounds} round(s), order alternating (no plugins first in odd rounds); ${config.warmupMs / 1000} s warm-up of each phase first; every phase starts with an empty event backlog`,
          App: `in this process (bin/ignite.ts boot, NODE_ENV=${process.env.NODE_ENV}), DB pool max ${process.env.DB_POOL_MAX ?? 10}, events pool max ${process.env.DB_EVENTS_POOL_MAX ?? 4}`,
          Delivery: `the app's OutboxDispatcher in this web process (EVENTS_DISPATCH=web), ${redis ? `QueuedWakeups on Redis (REDIS_URL set, prefix ${process.env.REDIS_PREFIX})` : 'LocalWakeups (REDIS_URL not set)'}`,
        })
      )
      console.log(latencyTable(endpoints))
      console.log('')
      console.log(runsTable(measured))
      console.log('')
      console.log(deliveryTable(deliveries))
      console.log('')
      const verdicts = endpoints.map(({ label, none, plugins: withPlugins }) => {
        const ratio = withPlugins.p99 / none.p99
        const result = checks.target(`${label} p99 ratio`, ratio <= P99_RATIO_TARGET)
        return `${label} p99 ${seconds(withPlugins.p99)} with plugins vs ${seconds(none.p99)} without: ${ratio.toFixed(2)} (target <= ${P99_RATIO_TARGET}): ${result}`
      })
      const all = totals(deliveries.flatMap((plugin) => plugin.reports))
      console.log(`Verdict: ${verdicts.join('; ')}`)
      console.log(
        `Event -> plugin handler lag over the "3 plugins" phases (all three plugins): p50 ${seconds(percentile(all.lagMs, 50))}, p99 ${seconds(percentile(all.lagMs, 99))}; lost ${all.lost}, duplicated after dedupe ${all.duplicatesAfterDedupe} (target 0): ${verdict(all.lost === 0 && all.duplicatesAfterDedupe === 0)}`
      )
      console.log('')
      console.log(
        [
          '- Lag = handler start - event occurred_at (set in the transaction that creates the task, just before the outbox insert and COMMIT). "After the 201" = handler start - the moment the client had read its 201 (after the commit): a lower bound, negative when the plugin ran first.',
          '- Each "3 plugins" phase waits (not timed) until every plugin received every task created in it; the next phase starts once the dispatcher has no backlog.',
          '- Server thread busy: event-loop utilisation of the main thread, where HTTP and event delivery both run. Pool wait: per checkout of the primary pool (plugin handlers use it too).',
        ].join('\n')
      )
      return checks
    })
  } finally {
    onDelivery(undefined)
  }
}

await runBench(20 * 60_000, main)
