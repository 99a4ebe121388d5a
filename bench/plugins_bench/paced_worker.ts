/*
 * Open-loop load generator of bench/plugins.ts (`--rate`), in a worker
 * thread: requests start on a fixed schedule (`rate` per second, spread
 * over the tenants at random) whether or not earlier ones have answered,
 * as independent users would send them. Latency counts from the
 * scheduled start, so a server that falls behind shows it (no
 * coordinated omission). Same job and outcome shapes as
 * bench/work_api/load_worker.ts.
 */
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { parentPort, workerData } from 'node:worker_threads'
import {
  ENDPOINTS,
  type CreatedTask,
  type LoadJob,
  type LoadOutcome,
} from '../work_api/endpoints.js'
import { send } from '../work_api/http.js'

export interface PacedJob extends LoadJob {
  /** Requests started per second. */
  rate: number
}

const now = () => performance.timeOrigin + performance.now()

async function run(job: PacedJob): Promise<LoadOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  const created: CreatedTask[] = []
  let wrongAnswers = 0
  let errors = 0
  let firstProblem: string | undefined
  const startedAt = now()
  const interval = 1000 / job.rate
  const inFlight = new Set<Promise<void>>()

  const one = async (n: number, scheduled: number) => {
    const target = job.targets[Math.floor(Math.random() * job.targets.length)]
    const request = ENDPOINTS[job.endpoint].request(target, `${job.label}-${n}`)
    try {
      const reply = await send(`${job.baseUrl}${request.path}`, {
        method: request.method,
        host: target.host,
        token: target.token,
        body: request.body,
        agent,
      })
      latencies.push(now() - scheduled)
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1
      if (reply.status !== request.expect) {
        wrongAnswers++
        firstProblem ??= `${request.method} ${request.path} answered ${reply.status}: ${reply.body.slice(0, 300)}`
        return
      }
      if (job.endpoint === 'create') {
        const taskId = (JSON.parse(reply.body) as { data?: { id?: number } }).data?.id
        if (typeof taskId !== 'number') {
          wrongAnswers++
          firstProblem ??= `POST ${request.path} answered 201 without a task id`
          return
        }
        created.push({ tenantId: target.tenantId, taskId, respondedAt: now() })
      }
    } catch (error) {
      errors++
      firstProblem ??= `${request.method} ${request.path}: ${(error as Error).message}`
    }
  }

  try {
    for (let n = 0; ; n++) {
      const scheduled = startedAt + n * interval
      if (scheduled >= startedAt + job.durationMs) {
        break
      }
      const wait = scheduled - now()
      if (wait > 0) {
        await sleep(wait)
      }
      const request = one(n, scheduled).finally(() => inFlight.delete(request))
      inFlight.add(request)
    }
    await Promise.all(inFlight)
  } finally {
    agent.destroy()
  }
  return {
    latencies: Float64Array.from(latencies),
    statuses,
    wrongAnswers,
    errors,
    firstProblem,
    startedAt,
    endedAt: now(),
    created,
  }
}

const outcome = await run(workerData as PacedJob)
parentPort!.postMessage(outcome, [outcome.latencies.buffer as ArrayBuffer])
