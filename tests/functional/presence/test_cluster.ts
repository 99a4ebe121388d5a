import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import env from '#start/env'
import { redisPrefix } from '#config/redis'
import type { ConnectionStatus, PresenceChange } from '#presence/presence'
import type { PresenceStore } from '#presence/presence_store'
import { PresenceTracker } from '#presence/services/presence_tracker'
import { RedisPresenceStore } from '#presence/services/redis_presence_store'
import { MemoryPresenceStore } from '#presence/services/memory_presence_store'

/** Short timings, so that expiry and reaping happen within a test. */
export const INTERVAL_MS = 200
export const TTL_MS = 600

export const redisUrl = env.get('REDIS_URL')

/**
 * Where the nodes of a test share presence. Each call of `store()` is one
 * node's own store (its own Redis connection); all of them share one state.
 */
export interface PresenceBackend {
  name: string
  /** Why its tests cannot run here, if they cannot. */
  skip: string | false
  open(): Promise<{ store: () => PresenceStore; clear: () => Promise<void> }>
}

/** Every key under a fresh prefix, deleted afterwards. */
export const redisBackend: PresenceBackend = {
  name: 'Redis',
  // With REQUIRE_REDIS the tests run and fail in open() rather than skip.
  skip: !redisUrl && !env.get('REQUIRE_REDIS') ? 'needs REDIS_URL' : false,
  async open() {
    if (!redisUrl) {
      throw new Error('REQUIRE_REDIS is set but REDIS_URL is not')
    }
    const keyPrefix = `${redisPrefix}-test-${randomUUID()}:`
    return {
      store: () => new RedisPresenceStore(redisUrl, { keyPrefix }),
      clear: () => deleteKeys(redisUrl, keyPrefix),
    }
  },
}

/** One in-process store shared by every tracker, as one Redis would be. */
export const memoryBackend: PresenceBackend = {
  name: 'memory',
  skip: false,
  async open() {
    const shared = new MemoryPresenceStore()
    return { store: () => shared, clear: async () => {} }
  },
}

/** Deletes every key under a prefix (the connection has none of its own). */
export async function deleteKeys(url: string, keyPrefix: string) {
  const redis = new Redis(url)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000)
      if (keys.length > 0) {
        await redis.del(...keys)
      }
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

export interface Report {
  node: string
  change: PresenceChange
}

/**
 * One node of a test deployment: a tracker and the clients connected to
 * it, which heartbeat twice per interval with the status they were given
 * (real clients report whether they are idle in each heartbeat).
 */
export class TestNode {
  readonly tracker: PresenceTracker
  #clients = new Map<string, ConnectionStatus>()
  #heartbeats: NodeJS.Timeout

  constructor(
    readonly name: string,
    store: PresenceStore,
    reports: Report[]
  ) {
    this.tracker = new PresenceTracker(store, { intervalMs: INTERVAL_MS, ttlMs: TTL_MS })
    this.tracker.onChange((change) => reports.push({ node: name, change }))
    this.#heartbeats = setInterval(() => {
      this.#clients.forEach((status, id) => this.tracker.heartbeat(id, status))
    }, INTERVAL_MS / 2)
  }

  async connect(tenantId: number, userId: number, connectionId: string) {
    this.#clients.set(connectionId, 'online')
    await this.tracker.connect(tenantId, userId, connectionId)
  }

  async disconnect(connectionId: string) {
    this.#clients.delete(connectionId)
    await this.tracker.disconnect(connectionId)
  }

  /** The client reports itself idle (`away`) or active again in its heartbeats. */
  report(connectionId: string, status: ConnectionStatus) {
    this.#clients.set(connectionId, status)
  }

  /** The client stops heartbeating; its socket stays open. */
  silence(connectionId: string) {
    this.#clients.delete(connectionId)
  }

  async stop(options: { graceful: boolean } = { graceful: true }) {
    clearInterval(this.#heartbeats)
    await this.tracker.stop(options)
  }
}

/**
 * Started nodes sharing one presence, every change they report in one
 * list in the order reported; `close()` stops them and deletes the keys.
 */
export async function startCluster(backend: PresenceBackend, names = ['a', 'b']) {
  const { store, clear } = await backend.open()
  const reports: Report[] = []
  const nodes = names.map((name) => new TestNode(name, store(), reports))
  await Promise.all(nodes.map((node) => node.tracker.start()))
  return {
    nodes,
    reports,
    /** Another node on the same presence, not started: it never ticks. */
    addNode(name: string) {
      const node = new TestNode(name, store(), reports)
      nodes.push(node)
      return node
    },
    /** The statuses reported for one user, in order, and by which node. */
    reported(tenantId: number, userId: number) {
      return reports
        .filter(({ change }) => change.tenantId === tenantId && change.presence.user_id === userId)
        .map(({ node, change }) => `${node}:${change.presence.status}`)
    },
    async close() {
      await Promise.all(nodes.map((node) => node.stop({ graceful: false })))
      await clear()
    },
  }
}
