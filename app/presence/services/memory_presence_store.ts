import {
  presenceOf,
  statusOfRank,
  statusRank,
  type ConnectionStatus,
  type PresenceChange,
  type StatusText,
} from '#presence/presence'
import type { PresenceStore, PresenceWrite } from '#presence/presence_store'

interface MemoryNode {
  seenAt: number
  /** "<tenantId>:<userId>" -> this node's status of the user. */
  statuses: Map<string, ConnectionStatus>
}

const userKey = (tenantId: number, userId: number) => `${tenantId}:${userId}`

/**
 * Presence in this process, for a deployment without Redis (one node).
 * It keeps the Redis store's model (one entry set per node, merged on
 * read, silent nodes reaped on ticks), so several trackers sharing one
 * instance behave like nodes sharing a Redis: the behaviour tests run
 * against both. Each method runs without awaiting, hence atomically.
 */
export class MemoryPresenceStore implements PresenceStore {
  #nodes = new Map<string, MemoryNode>()
  #texts = new Map<string, StatusText>()
  #lastSeen = new Map<string, number>()

  async sync(nodeId: string, writes: PresenceWrite[], options: { ttlMs: number; tick: boolean }) {
    const now = Date.now()
    const silentBefore = now - options.ttlMs
    const changes: PresenceChange[] = []
    const previous = this.#nodes.get(nodeId)
    const node = previous ?? { seenAt: now, statuses: new Map() }
    node.seenAt = now
    this.#nodes.set(nodeId, node)
    if (options.tick) {
      for (const [id, other] of this.#nodes) {
        if (other.seenAt < silentBefore) {
          changes.push(...this.#removeNode(id, other.seenAt))
        }
      }
    }
    for (const { tenantId, userId, status } of writes) {
      const key = userKey(tenantId, userId)
      const others = this.#merged(key, nodeId)
      const before = Math.max(others, statusRank(node.statuses.get(key)))
      if (status) {
        node.statuses.set(key, status)
      } else {
        node.statuses.delete(key)
      }
      const after = Math.max(others, statusRank(status))
      if (before !== after) {
        changes.push(this.#report(tenantId, userId, after, now))
      }
    }
    return { rejoined: !previous || previous.seenAt < silentBefore, changes }
  }

  async leave(nodeId: string) {
    return this.#removeNode(nodeId, Date.now())
  }

  async writeText(tenantId: number, userId: number, text: StatusText | null) {
    if (text) {
      this.#texts.set(userKey(tenantId, userId), text)
    } else {
      this.#texts.delete(userKey(tenantId, userId))
    }
  }

  async read(tenantId: number, userIds: number[]) {
    return userIds.map((userId) =>
      presenceOf(
        userId,
        statusOfRank(this.#merged(userKey(tenantId, userId))),
        this.#text(tenantId, userId),
        this.#lastSeen.get(userKey(tenantId, userId)) ?? null
      )
    )
  }

  async close() {}

  #removeNode(nodeId: string, seenAt: number) {
    const node = this.#nodes.get(nodeId)
    this.#nodes.delete(nodeId)
    const changes: PresenceChange[] = []
    for (const [key, status] of node?.statuses ?? []) {
      const after = this.#merged(key)
      if (after < statusRank(status)) {
        const [tenantId, userId] = key.split(':').map(Number)
        changes.push(this.#report(tenantId, userId, after, seenAt))
      }
    }
    return changes
  }

  /** The best status of a user over the live nodes, leaving one out. */
  #merged(key: string, exceptNodeId?: string) {
    let best = 0
    for (const [id, node] of this.#nodes) {
      if (id !== exceptNodeId) {
        best = Math.max(best, statusRank(node.statuses.get(key)))
      }
    }
    return best
  }

  #report(tenantId: number, userId: number, rank: number, seenAt: number): PresenceChange {
    if (rank === 0) {
      this.#lastSeen.set(userKey(tenantId, userId), seenAt)
    }
    return {
      tenantId,
      presence: presenceOf(userId, statusOfRank(rank), this.#text(tenantId, userId), seenAt),
    }
  }

  /** Redis expires texts by itself; here they expire when read. */
  #text(tenantId: number, userId: number) {
    const key = userKey(tenantId, userId)
    const text = this.#texts.get(key)
    if (text?.expiresAt && text.expiresAt <= Date.now()) {
      this.#texts.delete(key)
      return null
    }
    return text ?? null
  }
}
