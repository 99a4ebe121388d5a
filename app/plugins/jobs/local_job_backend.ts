import logger from '@adonisjs/core/services/logger'
import type { PluginJobBackend, PluginJobPayload } from '#plugins/jobs/job_backend'

const ATTEMPTS = 3
const RETRY_DELAY_MS = 2_000

/**
 * Plugin jobs in this process, for a single node without Redis: at most
 * `concurrency` at once, retried like the queued ones, lost if the
 * process stops (documented in docs/plugins.md).
 */
export class LocalJobBackend implements PluginJobBackend {
  #process?: (payload: PluginJobPayload) => Promise<void>
  #waiting: { payload: PluginJobPayload; attempt: number }[] = []
  #running = new Set<Promise<void>>()
  #timers = new Set<NodeJS.Timeout>()

  constructor(protected concurrency = 4) {}

  async start(process: (payload: PluginJobPayload) => Promise<void>) {
    this.#process = process
  }

  async add(payload: PluginJobPayload, delayMs = 0) {
    this.#later(() => this.#enqueue(payload, 1), delayMs)
  }

  async repeat(_key: string, ms: number, payload: PluginJobPayload) {
    const timer = setInterval(() => this.#enqueue(payload, ATTEMPTS), ms)
    timer.unref()
    this.#timers.add(timer)
  }

  async idle() {
    while (this.#running.size > 0 || this.#waiting.length > 0) {
      await Promise.all(this.#running)
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  settled() {
    return this.idle()
  }

  async stop() {
    this.#process = undefined
    this.#timers.forEach((timer) => clearTimeout(timer))
    this.#timers.clear()
    this.#waiting = []
    await this.idle()
  }

  #later(work: () => void, delayMs: number) {
    if (delayMs <= 0) {
      return work()
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      work()
    }, delayMs)
    timer.unref()
    this.#timers.add(timer)
  }

  #enqueue(payload: PluginJobPayload, attempt: number) {
    this.#waiting.push({ payload, attempt })
    this.#pump()
  }

  #pump() {
    while (this.#process && this.#running.size < this.concurrency && this.#waiting.length > 0) {
      const { payload, attempt } = this.#waiting.shift()!
      const run = this.#process(payload)
        .catch((error) => {
          if (attempt < ATTEMPTS) {
            this.#later(
              () => this.#enqueue(payload, attempt + 1),
              RETRY_DELAY_MS * 2 ** (attempt - 1)
            )
          } else {
            logger.warn({ err: error, payload }, 'plugin job failed for good')
          }
        })
        .finally(() => {
          this.#running.delete(run)
          this.#pump()
        })
      this.#running.add(run)
    }
  }
}
