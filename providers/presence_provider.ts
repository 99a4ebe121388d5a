import type { ApplicationService } from '@adonisjs/core/types'
import { PresenceTracker } from '#presence/services/presence_tracker'
import { RedisPresenceStore } from '#presence/services/redis_presence_store'
import { MemoryPresenceStore } from '#presence/services/memory_presence_store'
import { redisPrefix } from '#config/redis'
import env from '#start/env'

/**
 * One presence tracker per process: shared through Redis when REDIS_URL
 * is set, in memory (one node) otherwise. Only web servers run it (tick,
 * reap, leave on shutdown); other processes may still read snapshots.
 */
export default class PresenceProvider {
  #tracker?: PresenceTracker

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(PresenceTracker, () => {
      const redisUrl = env.get('REDIS_URL')
      const intervalMs = env.get('PRESENCE_INTERVAL_MS', 20_000)
      const store = redisUrl
        ? new RedisPresenceStore(redisUrl, { keyPrefix: `${redisPrefix}:` })
        : new MemoryPresenceStore()
      this.#tracker = new PresenceTracker(store, {
        intervalMs,
        ttlMs: env.get('PRESENCE_TTL_MS', 3 * intervalMs),
      })
      return this.#tracker
    })
  }

  async ready() {
    if (this.app.getEnvironment() === 'web' && this.app.getMode() === 'run') {
      const tracker = await this.app.container.make(PresenceTracker)
      await tracker.start()
    }
  }

  /** Only a tracker this process made has anything to stop. */
  async shutdown() {
    await this.#tracker?.stop()
  }
}
