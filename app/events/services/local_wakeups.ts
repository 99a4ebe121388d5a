import logger from '@adonisjs/core/services/logger'
import type { Wakeups } from '#events/services/wakeups'

/**
 * Wake-ups handled inside this process: at most `concurrency` tenants
 * drained at once, one drain per tenant at a time, delayed wake-ups on
 * timers. Used without Redis.
 */
export class LocalWakeups implements Wakeups {
  #drain?: (tenantId: number) => Promise<void>
  #running = new Map<number, Promise<void>>()
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
    if (this.#running.has(tenantId)) {
      this.#requested.add(tenantId)
      return
    }
    if (!this.#queue.includes(tenantId)) {
      this.#queue.push(tenantId)
    }
    this.#pump()
  }

  async idle() {
    while (this.#running.size > 0) {
      await Promise.all(this.#running.values())
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
    while (this.#drain && this.#running.size < this.concurrency && this.#queue.length > 0) {
      const tenantId = this.#queue.shift()!
      const run = this.#drain(tenantId)
        .catch((error) => logger.error({ err: error, tenantId }, 'event dispatch failed'))
        .finally(() => {
          this.#running.delete(tenantId)
          if (this.#requested.delete(tenantId)) {
            this.wake(tenantId)
          }
          this.#pump()
        })
      this.#running.set(tenantId, run)
    }
  }
}
