import Queue from 'bull'
import logger from '@adonisjs/core/services/logger'
import type { Wakeups } from '#events/services/wakeups'

/**
 * A waiting drain whose job was lost (its node died between the two
 * writes) holds back new ones for at most this long.
 */
const PENDING_TTL_MS = 10_000

/**
 * Wake-ups as jobs on a bull queue in Redis, processed by in-process
 * workers on every node running a dispatcher. Jobs survive a node's
 * crash (another node's worker picks them up) and delayed retries are
 * delayed jobs.
 *
 * A tenant has at most one drain job waiting: a wake-up sets a
 * `pending` key (SET NX) and only the one that set it adds a job; the
 * job deletes the key when it starts, before it reads any event, so a
 * commit either finds the key set (the waiting job will read it) or
 * adds the next job. Without this, every commit of a busy tenant queued
 * a drain of its own, most of which found nothing to do.
 */
export class QueuedWakeups implements Wakeups {
  #queue: Queue.Queue<{ tenantId: number; pending?: boolean }>
  #running = new Set<Promise<void>>()
  protected concurrency: number
  #pendingPrefix: string

  constructor(
    redisUrl: string,
    options: { prefix: string; concurrency?: number; queueName?: string }
  ) {
    this.concurrency = options.concurrency ?? 4
    this.#pendingPrefix = `${options.prefix}:${options.queueName ?? 'events'}:pending:`
    this.#queue = new Queue(options.queueName ?? 'events', redisUrl, {
      prefix: options.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100, attempts: 3 },
    })
  }

  async start(drain: (tenantId: number) => Promise<void>) {
    await this.#queue.isReady()
    void this.#queue.process(this.concurrency, async (job) => {
      const { tenantId, pending } = job.data
      if (pending) {
        await this.#queue.client.del(this.#pendingKey(tenantId))
      }
      const run = drain(tenantId)
      this.#running.add(run)
      try {
        await run
      } finally {
        this.#running.delete(run)
      }
    })
  }

  wake(tenantId: number, delayMs = 0) {
    this.#enqueue(tenantId, delayMs).catch((error) =>
      logger.error({ err: error, tenantId }, 'could not queue event dispatch')
    )
  }

  async #enqueue(tenantId: number, delayMs: number) {
    if (delayMs > 0) {
      await this.#queue.add({ tenantId }, { delay: delayMs })
      return
    }
    const claimed = await this.#queue.client.set(
      this.#pendingKey(tenantId),
      '1',
      'PX',
      PENDING_TTL_MS,
      'NX'
    )
    if (claimed) {
      await this.#queue.add({ tenantId, pending: true })
    }
  }

  #pendingKey(tenantId: number) {
    return `${this.#pendingPrefix}${tenantId}`
  }

  async idle() {
    while (this.#running.size > 0) {
      await Promise.all(this.#running)
    }
  }

  async stop() {
    await this.#queue.close()
    await this.idle()
  }
}
