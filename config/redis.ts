import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/** Prefix of every Redis key and pub/sub channel of this deployment. */
export const redisPrefix = env.get('REDIS_PREFIX', 'tandem')

const url = new URL(env.get('REDIS_URL') ?? 'redis://127.0.0.1:6379/0')

/** The server REDIS_URL names, as ioredis options. */
export const redisServer = {
  host: url.hostname,
  port: Number(url.port || 6379),
  username: url.username || undefined,
  password: url.password ? decodeURIComponent(url.password) : undefined,
  db: Number(url.pathname.slice(1) || 0),
}

/*
 * Redis is optional: without REDIS_URL a single node uses in-process
 * fallbacks and never opens this connection (connections are lazy).
 */
const redisConfig = defineConfig({
  connection: 'main',
  connections: {
    main: {
      ...redisServer,
      keyPrefix: `${redisPrefix}:`,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
    },
  },
})

export default redisConfig

/**
 * Whether this deployment runs with Redis (multi-node mode).
 */
export const redisEnabled = Boolean(env.get('REDIS_URL'))

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
