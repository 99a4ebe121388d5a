import { defineConfig } from '@adonisjs/transmit'
import { redisEnabled, redisPrefix, redisServer } from '#config/redis'
import { RedisBusTransport } from '#realtime/services/redis_bus_transport'

/*
 * Server-Sent Events. With Redis, a broadcast made on one node reaches
 * the streams held by every node.
 */
export default defineConfig({
  pingInterval: '25s',
  transport: redisEnabled
    ? { driver: () => new RedisBusTransport(redisServer), channel: `${redisPrefix}:transmit` }
    : null,
})
