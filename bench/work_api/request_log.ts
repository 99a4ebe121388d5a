/*
 * What a load worker's requests produced, as a LoadOutcome: latencies,
 * statuses, wrong answers, transport errors and the tasks created. Shared
 * by the closed-loop worker (load_worker.ts) and the open-loop one
 * (bench/plugins_bench/paced_worker.ts), which differ only in when they
 * send and where latency starts.
 */
import type http from 'node:http'
import { ENDPOINTS, type CreatedTask, type LoadJob, type LoadOutcome } from './endpoints.js'
import { send } from './http.js'

export const now = () => performance.timeOrigin + performance.now()

export class RequestLog {
  #latencies: number[] = []
  #statuses: Record<number, number> = {}
  #created: CreatedTask[] = []
  #wrongAnswers = 0
  #errors = 0
  #firstProblem: string | undefined
  readonly startedAt = now()

  constructor(
    protected job: LoadJob,
    protected agent: http.Agent
  ) {}

  /**
   * Sends one request to a tenant picked at random and records it;
   * latency runs from `since` (a `now()` timestamp) to the answer.
   */
  async request(clientId: string, since: number) {
    const job = this.job
    const target = job.targets[Math.floor(Math.random() * job.targets.length)]
    const request = ENDPOINTS[job.endpoint].request(target, `${job.label}-${clientId}`)
    try {
      const reply = await send(`${job.baseUrl}${request.path}`, {
        method: request.method,
        host: target.host,
        token: target.token,
        body: request.body,
        agent: this.agent,
      })
      this.#latencies.push(now() - since)
      this.#statuses[reply.status] = (this.#statuses[reply.status] ?? 0) + 1
      if (reply.status !== request.expect) {
        this.#problem(
          `${request.method} ${request.path} answered ${reply.status}: ${reply.body.slice(0, 300)}`
        )
        return
      }
      if (job.endpoint === 'create') {
        const taskId = (JSON.parse(reply.body) as { data?: { id?: number } }).data?.id
        if (typeof taskId !== 'number') {
          this.#problem(`POST ${request.path} answered 201 without a task id`)
          return
        }
        this.#created.push({ tenantId: target.tenantId, taskId, respondedAt: now() })
      }
    } catch (error) {
      this.#errors++
      this.#firstProblem ??= `${request.method} ${request.path}: ${(error as Error).message}`
    }
  }

  outcome(): LoadOutcome {
    return {
      latencies: Float64Array.from(this.#latencies),
      statuses: this.#statuses,
      wrongAnswers: this.#wrongAnswers,
      errors: this.#errors,
      firstProblem: this.#firstProblem,
      startedAt: this.startedAt,
      endedAt: now(),
      created: this.#created,
    }
  }

  #problem(message: string) {
    this.#wrongAnswers++
    this.#firstProblem ??= message
  }
}
