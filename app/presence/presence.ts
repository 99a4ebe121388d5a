/*
 * The presence module's vocabulary, shared by the tracker, its two stores
 * and the HTTP layer. Presence lives in Redis (or in memory), never in
 * PostgreSQL: see docs/presence.md.
 */

export type PresenceStatus = 'online' | 'away' | 'offline'

/** What one connection reports in its heartbeats (`away`: the client is idle). */
export type ConnectionStatus = Exclude<PresenceStatus, 'offline'>

/** A member's presence as clients see it (the REST snapshot and pushed changes). */
export interface Presence {
  user_id: number
  status: PresenceStatus
  /** The member's custom status text; it survives reconnects. */
  text: string | null
  text_expires_at: string | null
  /** When the member went offline; null while online or away, and when never seen. */
  last_seen_at: string | null
}

export interface PresenceChange {
  tenantId: number
  presence: Presence
}

/** A custom status text as stored; `expiresAt` in epoch milliseconds. */
export interface StatusText {
  text: string
  expiresAt: number | null
}

export const MAX_STATUS_TEXT = 100
/** Ids per snapshot: one Redis round trip each, whatever the number of nodes. */
export const MAX_SNAPSHOT_IDS = 500

/*
 * Statuses merge by rank: a user is online if any connection on any node
 * is, else away if any is, else offline. The Lua scripts use the same
 * ranks (presence_scripts.ts).
 */
const RANKS: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2 }
const BY_RANK: PresenceStatus[] = ['offline', 'away', 'online']

export function statusRank(status: PresenceStatus | null | undefined) {
  return status ? RANKS[status] : 0
}

export function statusOfRank(rank: number): PresenceStatus {
  return BY_RANK[rank]
}

/** The stored form of a status text (a JSON string in Redis). */
export function encodeStatusText(text: StatusText) {
  return JSON.stringify({ text: text.text, expires_at: text.expiresAt })
}

export function decodeStatusText(stored: string | null | undefined): StatusText | null {
  if (!stored) {
    return null
  }
  const { text, expires_at: expiresAt } = JSON.parse(stored) as {
    text: string
    expires_at: number | null
  }
  return { text, expiresAt }
}

const isoOrNull = (epochMs: number | null) =>
  epochMs === null ? null : new Date(epochMs).toISOString()

export function presenceOf(
  userId: number,
  status: PresenceStatus,
  text: StatusText | null,
  lastSeenAt: number | null
): Presence {
  return {
    user_id: userId,
    status,
    text: text?.text ?? null,
    text_expires_at: isoOrNull(text?.expiresAt ?? null),
    last_seen_at: status === 'offline' ? isoOrNull(lastSeenAt) : null,
  }
}
