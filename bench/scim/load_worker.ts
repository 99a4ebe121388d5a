/*
 * Load generator of bench/scim.ts, run in a worker thread so that it does
 * not share the event loop of the server it measures (it still shares
 * the machine's cores). `concurrency` clients, each over a keep-alive
 * connection, send one request at a time until every request of the job
 * has been sent; each answer is checked.
 */
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import { forEachConcurrently } from '../support/report.js'
import { now } from '../work_api/request_log.js'
import { sendScim } from './http.js'
import { scimCall, type ScimJob, type ScimOutcome } from './requests.js'

async function run(job: ScimJob): Promise<ScimOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency })
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  let wrongAnswers = 0
  let errors = 0
  let firstProblem: string | undefined
  const startedAt = now()

  try {
    await forEachConcurrently(job.users, job.concurrency, async (n) => {
      const call = scimCall(job.kind, n)
      const sentAt = now()
      try {
        const reply = await sendScim(`${job.baseUrl}${call.path}`, {
          method: call.method,
          host: job.host,
          token: job.token,
          body: call.body,
          agent,
        })
        latencies.push(now() - sentAt)
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1
        const problem =
          reply.status === call.expect
            ? call.wrong(JSON.parse(reply.body))
            : `${call.method} ${call.path} answered ${reply.status}: ${reply.body.slice(0, 300)}`
        if (problem) {
          wrongAnswers++
          firstProblem ??= problem
        }
      } catch (error) {
        errors++
        firstProblem ??= `${call.method} ${call.path}: ${(error as Error).message}`
      }
    })
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
  }
}

const outcome = await run(workerData as ScimJob)
parentPort!.postMessage(outcome, [outcome.latencies.buffer as ArrayBuffer])
