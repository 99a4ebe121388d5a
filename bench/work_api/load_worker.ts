/*
 * Load generator of bench/work_api.ts, run in a worker thread so that it
 * does not share the event loop of the server it measures (it still
 * shares the machine's cores). `clients` loops, each sending one request
 * at a time over a keep-alive connection, each request to a tenant picked
 * at random, until the duration is over; requests in flight then finish.
 */
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import { ENDPOINTS, type CreatedTask, type LoadJob, type LoadOutcome } from './endpoints.js'
import { send } from './http.js'

const now = () => performance.timeOrigin + performance.now()

async function run(job: LoadJob): Promise<LoadOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients })
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  const created: CreatedTask[] = []
  let wrongAnswers = 0
  let errors = 0
  let firstProblem: string | undefined
  const startedAt = now()
  const deadline = startedAt + job.durationMs

  const client = async (index: number) => {
    for (let n = 0; now() < deadline; n++) {
      const target = job.targets[Math.floor(Math.random() * job.targets.length)]
      const request = ENDPOINTS[job.endpoint].request(target, `${job.label}-${index}-${n}`)
      const sent = performance.now()
      try {
        const reply = await send(`${job.baseUrl}${request.path}`, {
          method: request.method,
          host: target.host,
          token: target.token,
          body: request.body,
          agent,
        })
        latencies.push(performance.now() - sent)
        statuses[reply.status] = (statuses[reply.status] ?? 0) + 1
        if (reply.status !== request.expect) {
          wrongAnswers++
          firstProblem ??= `${request.method} ${request.path} answered ${reply.status}: ${reply.body.slice(0, 300)}`
          continue
        }
        if (job.endpoint === 'create') {
          const taskId = (JSON.parse(reply.body) as { data?: { id?: number } }).data?.id
          if (typeof taskId !== 'number') {
            wrongAnswers++
            firstProblem ??= `POST ${request.path} answered 201 without a task id`
            continue
          }
          created.push({ tenantId: target.tenantId, taskId, respondedAt: now() })
        }
      } catch (error) {
        errors++
        firstProblem ??= `${request.method} ${request.path}: ${(error as Error).message}`
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: job.clients }, (_, index) => client(index)))
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

const outcome = await run(workerData as LoadJob)
parentPort!.postMessage(outcome, [outcome.latencies.buffer as ArrayBuffer])
