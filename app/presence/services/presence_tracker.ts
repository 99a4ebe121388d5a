import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import {
  MAX_SNAPSHOT_IDS,
  MAX_STATUS_TEXT,
  type ConnectionStatus,
  type Presence,
  type PresenceChange,
} from '#presence/presence'
import type { PresenceStore, PresenceWrite, SyncResult } from '#presence/presence_store'

export interface PresenceTrackerOptions {
  /** How often this node flushes heartbeats to the store; clients heartbeat about as often. */
  intervalMs: number
  /** A connection or a node not heard from for longer than this is gone. */
  ttlMs: number
  /** Random per process unless given. */
  nodeId?: string
}

interface TrackedConnection {
  key: string
  status: ConnectionStatus
  heardAt: number
}

/** What this node last wrote for a user; `unknown` after a write that failed. */
type Written = ConnectionStatus | 'unknown'

const userKey = (tenantId: number, userId: number) => `${tenantId}:${userId}`

function writeOf(key: string, status: ConnectionStatus | null): PresenceWrite {
  const [tenantId, userId] = key.split(':').map(Number)
  return { tenantId, userId, status }
}

/**
 * Who is online, for this node's connections, merged with every other
 * node's through a PresenceStore. The real-time gateway reports each
 * socket's connect, heartbeats and disconnect; the tracker calls its
 * listeners with every change of a user's effective status that this node
 * caused, and no other node reports the same change.
 *
 * Heartbeats cost nothing until the next tick: once per interval the node
 * sends one sync carrying its liveness and the users whose status changed
 * since (docs/presence.md has the arithmetic). A user's first connection
 * here and last disconnection are written at once.
 */
export class PresenceTracker {
  readonly nodeId: string
  #store: PresenceStore
  #intervalMs: number
  #ttlMs: number

  #connections = new Map<string, TrackedConnection>()
  /** "<tenantId>:<userId>" -> that user's connections on this node. */
  #users = new Map<string, Set<TrackedConnection>>()
  /** This node's entry of each user in the store, as far as it knows. */
  #written = new Map<string, Written>()
  /** Users whose entry may be behind their connections: written on the next tick. */
  #dirty = new Set<string>()

  #listeners = new Set<(change: PresenceChange) => void>()
  #timer?: NodeJS.Timeout
  #ticking?: Promise<void>
  #inFlight = new Set<Promise<void>>()
  #state: 'idle' | 'running' | 'stopped' = 'idle'
  /** Whether this node may have entries in the store (it has synced). */
  #synced = false

  constructor(store: PresenceStore, options: PresenceTrackerOptions) {
    if (options.ttlMs <= options.intervalMs) {
      throw new RangeError('The presence TTL must be longer than its interval')
    }
    this.#store = store
    this.#intervalMs = options.intervalMs
    this.#ttlMs = options.ttlMs
    this.nodeId = options.nodeId ?? randomUUID()
  }

  /** Listens to changes this node reports; returns the unsubscribe function. */
  onChange(listener: (change: PresenceChange) => void) {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Joins the deployment (and reaps nodes that died meanwhile), then ticks every interval. */
  async start() {
    if (this.#state !== 'idle') {
      return
    }
    this.#state = 'running'
    await this.#tick()
    this.#timer = setInterval(() => void this.#tick(), this.#intervalMs)
    this.#timer.unref()
  }

  /**
   * A graceful stop removes this node's entries and reports offline
   * whoever was only here. `graceful: false` only stops and drops the
   * connection, as a crash would: other nodes reap the entries after the
   * TTL (tests use it).
   */
  async stop({ graceful = true }: { graceful?: boolean } = {}) {
    if (this.#state === 'stopped') {
      return
    }
    this.#state = 'stopped'
    clearInterval(this.#timer)
    if (graceful && this.#synced) {
      await Promise.all(this.#inFlight)
      try {
        this.#emit(await this.#store.leave(this.nodeId))
      } catch (error) {
        logger.error({ err: error }, 'presence: could not leave; other nodes will reap this one')
      }
    }
    this.#connections.clear()
    this.#users.clear()
    this.#written.clear()
    this.#dirty.clear()
    await this.#store.close({ graceful })
  }

  /** A new socket of a member; a reused connection id replaces the old one. */
  async connect(tenantId: number, userId: number, connectionId: string) {
    if (this.#state === 'stopped') {
      return
    }
    const previousKey = this.#forget(connectionId)
    const key = userKey(tenantId, userId)
    const connection: TrackedConnection = { key, status: 'online', heardAt: Date.now() }
    this.#connections.set(connectionId, connection)
    const connections = this.#users.get(key) ?? new Set()
    connections.add(connection)
    this.#users.set(key, connections)
    await this.#sync(previousKey ? [previousKey, key] : [key], false)
  }

  /** Buffered until the next tick; ids this node does not track are ignored. */
  heartbeat(connectionId: string, status?: ConnectionStatus) {
    const connection = this.#connections.get(connectionId)
    if (!connection) {
      return
    }
    connection.heardAt = Date.now()
    if ((status === 'online' || status === 'away') && status !== connection.status) {
      connection.status = status
      this.#dirty.add(connection.key)
    }
  }

  async disconnect(connectionId: string) {
    const key = this.#forget(connectionId)
    if (key && this.#state !== 'stopped') {
      await this.#sync([key], false)
    }
  }

  /**
   * Sets (or with null, clears) a member's custom status text; it stays
   * across reconnects until changed or `expiresAt`.
   */
  async setText(
    tenantId: number,
    userId: number,
    text: string | null,
    expiresAt: Date | null = null
  ): Promise<Presence> {
    const value = text?.trim() || null
    if (value && value.length > MAX_STATUS_TEXT) {
      throw new RangeError(`A status text has at most ${MAX_STATUS_TEXT} characters`)
    }
    const expiresMs = expiresAt?.getTime() ?? null
    const expired = expiresMs !== null && expiresMs <= Date.now()
    await this.#store.writeText(
      tenantId,
      userId,
      value && !expired ? { text: value, expiresAt: expiresMs } : null
    )
    const [presence] = await this.#store.read(tenantId, [userId])
    this.#emit([{ tenantId, presence }])
    return presence
  }

  /** Presences of the given users, in the given order, in one round trip. */
  async snapshot(tenantId: number, userIds: number[]): Promise<Presence[]> {
    if (userIds.length > MAX_SNAPSHOT_IDS) {
      throw new RangeError(`A snapshot covers at most ${MAX_SNAPSHOT_IDS} users`)
    }
    return this.#store.read(tenantId, userIds)
  }

  /** Removes a connection; returns its user's key. */
  #forget(connectionId: string) {
    const connection = this.#connections.get(connectionId)
    if (!connection) {
      return undefined
    }
    this.#connections.delete(connectionId)
    const connections = this.#users.get(connection.key)
    connections?.delete(connection)
    if (connections?.size === 0) {
      this.#users.delete(connection.key)
    }
    return connection.key
  }

  /** Online if any connection of the user here is, else away; null without any. */
  #statusHere(key: string): ConnectionStatus | null {
    const connections = this.#users.get(key)
    if (!connections) {
      return null
    }
    for (const connection of connections) {
      if (connection.status === 'online') {
        return 'online'
      }
    }
    return 'away'
  }

  /**
   * Skips a tick while the previous one still runs (a slow store), rather
   * than piling syncs up behind it.
   */
  #tick() {
    if (!this.#ticking) {
      this.#sweep()
      this.#ticking = this.#sync(this.#dirty, true).finally(() => {
        this.#ticking = undefined
      })
    }
    return this.#ticking
  }

  /** Connections silent for longer than the TTL are gone, even if their socket is open. */
  #sweep() {
    const silentSince = Date.now() - this.#ttlMs
    for (const [connectionId, connection] of this.#connections) {
      if (connection.heardAt < silentSince) {
        this.#forget(connectionId)
        this.#dirty.add(connection.key)
      }
    }
  }

  /**
   * Writes the users' entries that differ from what this node last wrote.
   * What to write is decided, and the store called, synchronously, so
   * syncs reach the store in the order the tracker made them.
   */
  #sync(keys: Iterable<string>, tick: boolean): Promise<void> {
    const writes: PresenceWrite[] = []
    for (const key of [...keys]) {
      this.#dirty.delete(key)
      const status = this.#statusHere(key)
      if (status === (this.#written.get(key) ?? null)) {
        continue
      }
      writes.push(writeOf(key, status))
      if (status) {
        this.#written.set(key, status)
      } else {
        this.#written.delete(key)
      }
    }
    if (writes.length === 0 && !tick) {
      return Promise.resolve()
    }
    this.#synced = true
    const run = this.#store
      .sync(this.nodeId, writes, { ttlMs: this.#ttlMs, tick })
      .then(
        (result) => this.#settle(result, writes),
        (error) => this.#failed(error, writes)
      )
      .finally(() => this.#inFlight.delete(run))
    this.#inFlight.add(run)
    return run
  }

  async #settle(result: SyncResult, writes: PresenceWrite[]) {
    this.#emit(result.changes)
    if (!result.rejoined || this.#state === 'stopped') {
      return
    }
    // This node's entries may have been reaped while it was silent: write
    // them all again, but for those this very sync wrote after the fact.
    const justWritten = new Set(writes.map((write) => userKey(write.tenantId, write.userId)))
    for (const key of new Set([...this.#users.keys(), ...this.#written.keys()])) {
      if (!justWritten.has(key)) {
        this.#written.set(key, 'unknown')
        this.#dirty.add(key)
      }
    }
    await this.#sync(this.#dirty, false)
  }

  /** Presence degrades, sockets do not: the entries are written again on the next tick. */
  #failed(error: unknown, writes: PresenceWrite[]) {
    if (this.#state === 'stopped') {
      return
    }
    logger.warn({ err: error }, 'presence: store unreachable, retrying on the next tick')
    for (const write of writes) {
      const key = userKey(write.tenantId, write.userId)
      this.#written.set(key, 'unknown')
      this.#dirty.add(key)
    }
  }

  #emit(changes: PresenceChange[]) {
    for (const change of changes) {
      for (const listener of this.#listeners) {
        try {
          listener(change)
        } catch (error) {
          logger.error({ err: error }, 'presence: a change listener failed')
        }
      }
    }
  }
}
