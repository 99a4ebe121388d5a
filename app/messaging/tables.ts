import { TenantContext } from '#tenancy/tenant_context'

/*
 * Messaging reads and writes rows through the query builder rather than
 * Lucid models: posting runs thousands of times a second, model
 * hydration is measurable there, and one row shape then serves REST and
 * sockets alike (see resources.ts).
 */

export const tables = {
  channels: () => TenantContext.table('channels'),
  members: () => TenantContext.table('channel_members'),
  messages: () => TenantContext.table('messages'),
  revisions: () => TenantContext.table('message_revisions'),
  reactions: () => TenantContext.table('message_reactions'),
}

export type ChannelKind = 'public' | 'private' | 'direct'
export type ChannelRole = 'owner' | 'member'

export interface ChannelRow {
  id: number
  kind: ChannelKind
  name: string | null
  topic: string | null
  created_by: number | null
  direct_key: string | null
  last_seq: number
  archived_at: Date | null
  created_at: Date
  updated_at: Date
}

export interface ReactionSummary {
  emoji: string
  count: number
  user_ids: number[]
}

export interface MessageRow {
  id: number
  channel_id: number
  seq: number
  changed_seq: number
  thread_id: number | null
  sender_id: number
  client_id: string
  body: string
  mention_ids: number[]
  mentions_channel: boolean
  reply_count: number
  last_reply_at: Date | null
  pinned_at: Date | null
  pinned_by: number | null
  edited_at: Date | null
  deleted_at: Date | null
  created_at: Date
  /** Absent on a row just inserted (it has none yet). */
  reactions?: ReactionSummary[]
}
