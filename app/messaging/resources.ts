import type { ChannelRole, ChannelRow, MessageRow } from '#messaging/tables'

/*
 * The messaging module's resources as the API and the socket gateway show
 * them (snake_case): one function per shape, so a message reads the same
 * in a REST page, a catch-up feed and a live `message:new`.
 */

function iso(date: Date | null) {
  return date ? date.toISOString() : null
}

/**
 * A channel row, with what the query added for the caller when it did:
 * their role and read state (null when not a member, or not computed),
 * and, for direct conversations, the fixed member set.
 */
export interface ChannelListingRow extends ChannelRow {
  member_ids?: number[] | null
  role?: ChannelRole | null
  last_read_seq?: number | null
  unread_count?: number | null
  mention_count?: number | null
}

export function channelResource(channel: ChannelListingRow) {
  return {
    id: channel.id,
    type: channel.kind,
    name: channel.name,
    topic: channel.topic,
    created_by: channel.created_by,
    member_ids: channel.kind === 'direct' ? (channel.member_ids ?? null) : null,
    archived: channel.archived_at !== null,
    archived_at: iso(channel.archived_at),
    last_seq: channel.last_seq,
    role: channel.role ?? null,
    last_read_seq: channel.last_read_seq ?? null,
    unread_count: channel.unread_count ?? null,
    mention_count: channel.mention_count ?? null,
    created_at: iso(channel.created_at),
    updated_at: iso(channel.updated_at),
  }
}

export type ChannelResource = ReturnType<typeof channelResource>

/** A deleted message stays where it was, as a tombstone without text. */
export function messageResource(message: MessageRow) {
  const deleted = message.deleted_at !== null
  return {
    id: message.id,
    channel_id: message.channel_id,
    seq: message.seq,
    changed_seq: message.changed_seq,
    thread_id: message.thread_id,
    sender_id: message.sender_id,
    client_id: message.client_id,
    body: deleted ? null : message.body,
    mention_ids: message.mention_ids,
    mentions_channel: message.mentions_channel,
    reactions: message.reactions ?? [],
    reply_count: message.reply_count,
    last_reply_at: iso(message.last_reply_at),
    pinned: message.pinned_at !== null,
    pinned_by: message.pinned_by,
    pinned_at: iso(message.pinned_at),
    edited_at: iso(message.edited_at),
    deleted,
    deleted_at: iso(message.deleted_at),
    created_at: iso(message.created_at),
  }
}

export type MessageResource = ReturnType<typeof messageResource>

export function channelMemberResource(row: {
  user_id: number
  full_name: string
  role: ChannelRole
  joined_at: Date
}) {
  return {
    user_id: row.user_id,
    full_name: row.full_name,
    role: row.role,
    joined_at: iso(row.joined_at),
  }
}

export function messageRevisionResource(row: {
  id: number
  body: string
  edited_by: number
  created_at: Date
}) {
  return { id: row.id, body: row.body, edited_by: row.edited_by, replaced_at: iso(row.created_at) }
}
