import { Redis, type ChainableCommander } from 'ioredis'
import logger from '@adonisjs/core/services/logger'
import {
  decodeStatusText,
  encodeStatusText,
  presenceOf,
  statusOfRank,
  type PresenceChange,
  type PresenceStatus,
  type StatusText,
} from '#presence/presence'
import type { PresenceStore, PresenceWrite } from '#presence/presence_store'
import { LEAVE_SCRIPT, READ_SCRIPT, SYNC_SCRIPT } from '#presence/services/presence_scripts'

type Reply = (string | number | null)[]
type ScriptArgs = (string | number)[]

interface PresenceCommands {
  presenceSync(nodesKey: string, ...args: ScriptArgs): Promise<Reply>
  presenceLeave(nodesKey: string, ...args: ScriptArgs): Promise<Reply>
}

interface PresencePipeline extends ChainableCommander {
  presenceRead(nodesKey: string, ...args: ScriptArgs): PresencePipeline
}

/* Key names relative to the connection's keyPrefix; presence_scripts.ts documents the layout. */
const NODES_KEY = 'presence:nodes'
const textKey = (tenantId: number, userId: number) => `presence:${tenantId}:text:${userId}`
const lastSeenKey = (tenantId: number) => `presence:${tenantId}:last_seen`

/**
 * A node's hash outlives its last refresh by twice the TTL: long enough
 * for a surviving node to reap it (at most TTL + one interval after the
 * node fell silent, and the interval is shorter than the TTL) and so
 * report its users offline, short enough that a deployment whose nodes
 * all died leaves nothing behind.
 */
const retentionOf = (ttlMs: number) => 2 * ttlMs

/**
 * Presence shared by every node through Redis; see presence_scripts.ts
 * for the keys and docs/presence.md for the cost of each operation.
 */
export class RedisPresenceStore implements PresenceStore {
  #redis: Redis & PresenceCommands
  /** The full prefix of the keys the scripts derive themselves. */
  #scriptPrefix: string
  /**
   * Commands this store sent, and commands its scripts ran inside Redis:
   * what the benchmark in tests/functional/presence counts.
   */
  readonly stats = { commands: 0, scriptCalls: 0 }

  /** `keyPrefix` is the connection's, `${REDIS_PREFIX}:` in the application. */
  constructor(url: string, options: { keyPrefix: string }) {
    const redis = new Redis(url, {
      keyPrefix: options.keyPrefix,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
    })
    redis.defineCommand('presenceSync', { numberOfKeys: 1, lua: SYNC_SCRIPT })
    redis.defineCommand('presenceLeave', { numberOfKeys: 1, lua: LEAVE_SCRIPT })
    redis.defineCommand('presenceRead', { numberOfKeys: 1, lua: READ_SCRIPT })
    // Without a listener ioredis prints every reconnection failure itself.
    redis.on('error', (error) => logger.warn({ err: error }, 'presence: redis connection error'))
    this.#redis = redis as Redis & PresenceCommands
    this.#scriptPrefix = `${options.keyPrefix}presence:`
  }

  async sync(nodeId: string, writes: PresenceWrite[], options: { ttlMs: number; tick: boolean }) {
    const args: ScriptArgs = [
      this.#scriptPrefix,
      nodeId,
      options.ttlMs,
      retentionOf(options.ttlMs),
      options.tick ? 1 : 0,
    ]
    for (const write of writes) {
      args.push(write.tenantId, write.userId, write.status ?? '')
    }
    this.stats.commands += 1
    const reply = this.#ran(await this.#redis.presenceSync(NODES_KEY, ...args))
    return { rejoined: reply[1] === 1, changes: changesIn(reply) }
  }

  async leave(nodeId: string) {
    this.stats.commands += 1
    const reply = this.#ran(await this.#redis.presenceLeave(NODES_KEY, this.#scriptPrefix, nodeId))
    return changesIn(reply)
  }

  async writeText(tenantId: number, userId: number, text: StatusText | null) {
    this.stats.commands += 1
    const key = textKey(tenantId, userId)
    if (!text) {
      await this.#redis.del(key)
    } else if (text.expiresAt === null) {
      await this.#redis.set(key, encodeStatusText(text))
    } else {
      const ttl = Math.max(1, text.expiresAt - Date.now())
      await this.#redis.set(key, encodeStatusText(text), 'PX', ttl)
    }
  }

  /** One round trip: the merged statuses, the texts and the last-seen times. */
  async read(tenantId: number, userIds: number[]) {
    if (userIds.length === 0) {
      return []
    }
    const pipeline = this.#redis.pipeline() as PresencePipeline
    pipeline.presenceRead(NODES_KEY, this.#scriptPrefix, tenantId, ...userIds)
    pipeline.mget(...userIds.map((userId) => textKey(tenantId, userId)))
    pipeline.hmget(lastSeenKey(tenantId), ...userIds.map(String))
    this.stats.commands += 3
    const results = (await pipeline.exec()) ?? []
    const failure = results.find(([error]) => error)
    if (failure) {
      throw failure[0]
    }
    const [ranks, texts, lastSeen] = results.map(([, value]) => value) as [
      Reply,
      (string | null)[],
      (string | null)[],
    ]
    this.#ran(ranks)
    return userIds.map((userId, index) =>
      presenceOf(
        userId,
        statusOfRank(Number(ranks[index + 1])),
        decodeStatusText(texts[index]),
        lastSeen[index] === null ? null : Number(lastSeen[index])
      )
    )
  }

  async close({ graceful }: { graceful: boolean }) {
    // A connection never used was never opened: nothing to say goodbye on.
    if (!graceful || this.#redis.status === 'wait' || this.#redis.status === 'end') {
      this.#redis.disconnect()
      return
    }
    await this.#redis.quit()
  }

  /** Tallies the commands a script ran inside Redis (the first element of its reply). */
  #ran(reply: Reply) {
    this.stats.scriptCalls += Number(reply[0])
    return reply
  }
}

/** The changes of a sync or leave reply (see presence_scripts.ts). */
function changesIn(reply: Reply): PresenceChange[] {
  const changes: PresenceChange[] = []
  for (let index = 2; index < reply.length; index += 5) {
    const [tenantId, userId, status, text, lastSeen] = reply.slice(index, index + 5)
    changes.push({
      tenantId: Number(tenantId),
      presence: presenceOf(
        Number(userId),
        status as PresenceStatus,
        decodeStatusText(text as string | null),
        lastSeen === null ? null : Number(lastSeen)
      ),
    })
  }
  return changes
}
