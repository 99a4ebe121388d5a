import type { ConnectionStatus, Presence, PresenceChange, StatusText } from '#presence/presence'

/** This node's status for one user; null: no connection of theirs here any more. */
export interface PresenceWrite {
  tenantId: number
  userId: number
  status: ConnectionStatus | null
}

export interface SyncResult {
  /**
   * The store did not know this node as live (its first sync, or it was
   * silent for longer than the TTL and may have been reaped): the node
   * must write all its users again.
   */
  rejoined: boolean
  /** Effective changes this sync caused; no other node reports them. */
  changes: PresenceChange[]
}

/**
 * Where the nodes of a deployment share presence: Redis across nodes
 * (RedisPresenceStore) or this process's memory (MemoryPresenceStore).
 * Each node writes only its own status of each user; the effective status
 * merges every live node's. Every method that changes an effective status
 * decides it atomically and reports it in its result, so each change is
 * reported by exactly one node.
 */
export interface PresenceStore {
  /**
   * Marks the node live, applies its writes and returns the effective
   * changes they cause. On a `tick` it also keeps the node's entries from
   * expiring and removes every node silent for longer than `ttlMs`,
   * reporting offline whoever was only there.
   */
  sync(
    nodeId: string,
    writes: PresenceWrite[],
    options: { ttlMs: number; tick: boolean }
  ): Promise<SyncResult>

  /** Removes the node and its entries (a graceful stop); returns the changes. */
  leave(nodeId: string): Promise<PresenceChange[]>

  writeText(tenantId: number, userId: number, text: StatusText | null): Promise<void>

  read(tenantId: number, userIds: number[]): Promise<Presence[]>

  /** `graceful: false` drops the connection without a goodbye (a simulated crash). */
  close(options: { graceful: boolean }): Promise<void>
}
