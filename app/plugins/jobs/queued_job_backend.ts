import Queue from 'bull'
import type { PluginJobBackend, PluginJobPayload } from '#plugins/jobs/job_backend'

/**
 * Plugin jobs on a bull queue: processed by every node that runs plugin
 * work, retried with backoff when they throw (at least once), and
 * schedules as repeatable jobs, which bull keeps to one per deployment.
 */
export class QueuedJobBackend implements PluginJobBackend {
  #opened?: Queue.Queue<PluginJobPayload>
  #running = new Set<Promise<void>>()

  constructor(
    protected redisUrl: string,
    protected options: { prefix: string; concurrency?: number }
  ) {}

  /** Opened on first use: processes that never queue plugin work hold no Redis connection. */
  get #queue() {
    this.#opened ??= new Queue('plugin-jobs', this.redisUrl, {
      prefix: this.options.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2_000 },
      },
    })
    return this.#opened
  }

  async start(process: (payload: PluginJobPayload) => Promise<void>) {
    await this.#queue.isReady()
    void this.#queue.process(this.options.concurrency ?? 4, async (job) => {
      const run = process(job.data)
      this.#running.add(run)
      try {
        await run
      } finally {
        this.#running.delete(run)
      }
    })
  }

  async add(payload: PluginJobPayload, delayMs = 0) {
    await this.#queue.add(payload, delayMs > 0 ? { delay: delayMs } : {})
  }

  async repeat(key: string, ms: number, payload: PluginJobPayload) {
    await this.#queue.add(payload, { jobId: key, repeat: { every: ms }, attempts: 1 })
  }

  async idle() {
    while (this.#running.size > 0) {
      await Promise.all(this.#running)
    }
  }

  async settled() {
    while (true) {
      const counts = await this.#queue.getJobCounts()
      if (counts.waiting + counts.active === 0 && this.#running.size === 0) {
        return
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  async stop() {
    await this.#opened?.close()
    await this.idle()
  }
}
