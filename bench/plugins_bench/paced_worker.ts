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
import type { LoadJob, LoadOutcome } from '../work_api/endpoints.js'
import { now, RequestLog } from '../work_api/request_log.js'

export interface PacedJob extends LoadJob {
  /** Requests started per second. */
  rate: number
}

async function run(job: PacedJob): Promise<LoadOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
  const log = new RequestLog(job, agent)
  const interval = 1000 / job.rate
  const inFlight = new Set<Promise<void>>()

  try {
    for (let n = 0; ; n++) {
      const scheduled = log.startedAt + n * interval
      if (scheduled >= log.startedAt + job.durationMs) {
        break
      }
      const wait = scheduled - now()
      if (wait > 0) {
        await sleep(wait)
      }
      const request = log.request(String(n), scheduled).finally(() => inFlight.delete(request))
      inFlight.add(request)
    }
    await Promise.all(inFlight)
  } finally {
    agent.destroy()
  }
  return log.outcome()
}

const outcome = await run(workerData as PacedJob)
parentPort!.postMessage(outcome, [outcome.latencies.buffer as ArrayBuffer])
