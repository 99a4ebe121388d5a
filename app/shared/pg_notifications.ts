import pg from 'pg'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'

type Handler = (payload: string) => void

const RECONNECT_DELAY_MS = 1_000

/**
 * One LISTEN connection per process, shared by every channel a module
 * listens on. It lives outside the query pool (LISTEN needs a session)
 * and reconnects on its own; after a reconnect every channel is told
 * (with an empty payload) that it may have missed notifications.
 */
export class PgNotifications {
  #handlers = new Map<string, Set<Handler>>()
  #client?: pg.Client
  #connecting?: Promise<void>
  #closed = false

  /**
   * Calls `handler` with each notification on `channel`; returns the
   * function that stops it.
   */
  async listen(channel: string, handler: Handler) {
    const known = this.#handlers.has(channel)
    const handlers = this.#handlers.get(channel) ?? new Set()
    handlers.add(handler)
    this.#handlers.set(channel, handlers)
    await this.#connect()
    if (!known && this.#client) {
      await this.#client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    }
    return () => {
      handlers.delete(handler)
    }
  }

  async close() {
    this.#closed = true
    await this.#client?.end().catch(() => {})
  }

  #connect(): Promise<void> {
    if (this.#closed) {
      return Promise.resolve()
    }
    this.#connecting ??= this.#open().catch((error) => {
      logger.warn({ err: error }, 'LISTEN connection unavailable; retrying')
      this.#reconnectLater()
    })
    return this.#connecting
  }

  async #open() {
    const client = new pg.Client({ connectionString: env.get('DATABASE_URL') })
    client.on('notification', ({ channel, payload }) => {
      this.#handlers.get(channel)?.forEach((handler) => handler(payload ?? ''))
    })
    client.on('error', () => this.#reconnectLater())
    await client.connect()
    for (const channel of this.#handlers.keys()) {
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    }
    this.#client = client
    // Whatever was announced while nobody listened.
    this.#handlers.forEach((handlers) => handlers.forEach((handler) => handler('')))
  }

  #reconnectLater() {
    const previous = this.#client
    this.#client = undefined
    previous?.end().catch(() => {})
    if (this.#closed) {
      return
    }
    setTimeout(() => {
      this.#connecting = undefined
      void this.#connect()
    }, RECONNECT_DELAY_MS).unref()
  }
}
