import { Redis, type RedisOptions } from 'ioredis'
import logger from '@adonisjs/core/services/logger'

type Handler = (message: any) => void | Promise<void>

/**
 * Redis pub/sub for transmit's cross-node bus. @boringnode/bus ships one,
 * but it is built for ioredis 5 (a peer conflict with our ioredis 6) and
 * its package is not installable beside ours; the contract is five
 * methods. Messages carry the sending bus's id so a node ignores its own.
 */
export class RedisBusTransport {
  #publisher: Redis
  #subscriber: Redis
  #handlers = new Map<string, Handler[]>()
  #id = ''

  constructor(options: RedisOptions) {
    this.#publisher = new Redis(options)
    this.#subscriber = new Redis(options)
    this.#subscriber.on('message', (channel: string, raw: string) => this.#received(channel, raw))
  }

  setId(id: string) {
    this.#id = id
    return this
  }

  async publish(channel: string, payload: unknown) {
    await this.#publisher.publish(channel, JSON.stringify({ busId: this.#id, payload }))
  }

  async subscribe(channel: string, handler: Handler) {
    this.#handlers.set(channel, [...(this.#handlers.get(channel) ?? []), handler])
    await this.#subscriber.subscribe(channel)
  }

  async unsubscribe(channel: string) {
    this.#handlers.delete(channel)
    await this.#subscriber.unsubscribe(channel)
  }

  onReconnect(callback: () => void) {
    this.#subscriber.on('reconnecting', callback)
  }

  async disconnect() {
    await Promise.all([this.#publisher.quit(), this.#subscriber.quit()])
  }

  #received(channel: string, raw: string) {
    let message: { busId?: string; payload?: unknown }
    try {
      message = JSON.parse(raw)
    } catch {
      logger.warn({ channel }, 'ignored a malformed bus message')
      return
    }
    if (message.busId === this.#id) {
      return
    }
    for (const handler of this.#handlers.get(channel) ?? []) {
      void handler(message.payload)
    }
  }
}
