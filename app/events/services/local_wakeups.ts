import logger from '@adonisjs/core/services/logger'
import type { Wakeups } from '#events/services/wakeups'

/**
 * A tenant has at most this many drains at once in this process: the
 * second serves subscribers the first is not holding (a slow one keeps
 * only its own lease), more would only find the leases taken.
 */
const DRAINS_PER_TENANT = 2

/**
 * Wake-ups handled inside this process: at most `concurrency` drains at
 * once, at most two per tenant, delayed wake-ups on timers. Used without
 * Redis.
 */
export class LocalWakeups implements Wakeups {
  #drain?: (tenantId: number) => Promise<void>
  #running = new Map<number, Set<Promise<void>>>()
  #size = 0
  #requested = new Set<number>()
  #queue: number[] = []
  #timers = new Set<NodeJS.Timeout>()

  constructor(protected concurrency = 4) {}

  async start(drain: (tenantId: number) => Promise<void>) {
    this.#drain = drain
  }

  wake(tenantId: number, delayMs = 0) {
    if (!this.#drain) {
      return
    }
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        this.wake(tenantId)
      }, delayMs)
      timer.unref()
      this.#timers.add(timer)
      return
    }
    if ((this.#running.get(tenantId)?.size ?? 0) >= DRAINS_PER_TENANT) {
      this.#requested.add(tenantId)
      return
    }
    if (!this.#queue.includes(tenantId)) {
      this.#queue.push(tenantId)
    }
    this.#pump()
  }

  async idle() {
    while (this.#size > 0) {
      await Promise.all([...this.#running.values()].flatMap((runs) => [...runs]))
    }
  }

  async stop() {
    this.#drain = undefined
    this.#timers.forEach((timer) => clearTimeout(timer))
    this.#timers.clear()
    this.#queue = []
    await this.idle()
  }

  #pump() {
    while (this.#drain && this.#size < this.concurrency && this.#queue.length > 0) {
      const tenantId = this.#queue.shift()!
      const runs = this.#running.get(tenantId) ?? new Set()
      this.#running.set(tenantId, runs)
      const run = this.#drain(tenantId)
        .catch((error) => logger.error({ err: error, tenantId }, 'event dispatch failed'))
        .finally(() => {
          runs.delete(run)
          this.#size -= 1
          if (runs.size === 0) {
            this.#running.delete(tenantId)
          }
          if (this.#requested.delete(tenantId)) {
            this.wake(tenantId)
          }
          this.#pump()
        })
      runs.add(run)
      this.#size += 1
    }
  }
}
