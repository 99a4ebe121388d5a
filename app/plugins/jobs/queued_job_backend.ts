import Queue from 'bull'
import type { PluginJobBackend, PluginJobPayload } from '#plugins/jobs/job_backend'

/**
 * Plugin jobs on a bull queue: processed by every node that runs plugin
 * work, retried with backoff when they throw (at least once), and
 * schedules as repeatable jobs, which bull keeps to one per deployment.
 */
export class QueuedJobBackend implements PluginJobBackend {
  #queue: Queue.Queue<PluginJobPayload>
  #running = new Set<Promise<void>>()

  constructor(
    redisUrl: string,
    options: { prefix: string; concurrency?: number },
    protected concurrency = options.concurrency ?? 4
  ) {
    this.#queue = new Queue('plugin-jobs', redisUrl, {
      prefix: options.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 3,
        backoff: { type: 'exponential', delay: 2_000 },
      },
    })
  }

  async start(process: (payload: PluginJobPayload) => Promise<void>) {
    await this.#queue.isReady()
    void this.#queue.process(this.concurrency, async (job) => {
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

  async stop() {
    await this.#queue.close()
    await this.idle()
  }
}
