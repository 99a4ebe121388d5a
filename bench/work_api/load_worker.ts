/*
 * Load generator of bench/work_api.ts, run in a worker thread so that it
 * does not share the event loop of the server it measures (it still
 * shares the machine's cores). `clients` loops, each sending one request
 * at a time over a keep-alive connection, each request to a tenant picked
 * at random, until the duration is over; requests in flight then finish.
 */
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import type { LoadJob, LoadOutcome } from './endpoints.js'
import { now, RequestLog } from './request_log.js'

async function run(job: LoadJob): Promise<LoadOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients })
  const log = new RequestLog(job, agent)
  const deadline = log.startedAt + job.durationMs

  const client = async (index: number) => {
    for (let n = 0; now() < deadline; n++) {
      await log.request(`${index}-${n}`, now())
    }
  }

  try {
    await Promise.all(Array.from({ length: job.clients }, (_, index) => client(index)))
  } finally {
    agent.destroy()
  }
  return log.outcome()
}

const outcome = await run(workerData as LoadJob)
parentPort!.postMessage(outcome, [outcome.latencies.buffer as ArrayBuffer])
