import Queue from 'bull'
import logger from '@adonisjs/core/services/logger'
import type { Wakeups } from '#events/services/wakeups'

/**
 * Wake-ups as jobs on a bull queue in Redis, processed by in-process
 * workers on every node running a dispatcher. Jobs survive a node's
 * crash (another node's worker picks them up) and delayed retries are
 * delayed jobs. Nodes that receive the same NOTIFY add the same job id,
 * so one job runs; cursor leases keep deliveries single anyway.
 */
export class QueuedWakeups implements Wakeups {
  #queue: Queue.Queue<{ tenantId: number }>
  #running = new Set<Promise<void>>()

  constructor(
    redisUrl: string,
    queueName = 'tandem-events',
    protected concurrency = 4
  ) {
    this.#queue = new Queue(queueName, redisUrl, {
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100, attempts: 3 },
    })
  }

  async start(drain: (tenantId: number) => Promise<void>) {
    await this.#queue.isReady()
    void this.#queue.process(this.concurrency, async (job) => {
      const run = drain(job.data.tenantId)
      this.#running.add(run)
      try {
        await run
      } finally {
        this.#running.delete(run)
      }
    })
  }

  wake(tenantId: number, delayMs = 0, key?: string) {
    this.#queue
      .add({ tenantId }, { delay: delayMs, ...(key ? { jobId: `wake:${key}` } : {}) })
      .catch((error) => logger.error({ err: error, tenantId }, 'could not queue event dispatch'))
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
