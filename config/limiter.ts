import { redisEnabled } from '#config/redis'
import { defineConfig, stores } from '@adonisjs/limiter'

/*
 * Counters live in Redis when the deployment has it, so limits hold
 * across nodes; a single node without Redis counts in memory.
 */
const limiterConfig = defineConfig({
  default: redisEnabled ? 'redis' : 'memory',
  stores: {
    // Counters under `<REDIS_PREFIX>:rate-limit:`.
    redis: stores.redis({ connectionName: 'main', keyPrefix: 'rate-limit' }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
