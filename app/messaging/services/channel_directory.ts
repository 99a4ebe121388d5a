import db from '@adonisjs/lucid/services/db'
import type User from '#identity/models/user'
import { paginateByKey } from '#shared/pagination'
import { ChannelAccess } from '#messaging/services/channel_access'
import { ChannelMembers } from '#messaging/services/channel_members'
import {
  channelMemberResource,
  channelResource,
  type ChannelListingRow,
} from '#messaging/resources'
import { tables } from '#messaging/tables'

interface Page {
  cursor?: string
  limit?: number
}

/**
 * The caller's read state of a joined channel `c` (membership `cm`),
 * computed by PostgreSQL per row: a page of channels is one query.
 *
 * - `unread_count`: top-level messages after the caller's last read seq,
 *   not their own, not deleted. Thread replies are read in their thread
 *   and would make a channel look busy for a conversation one does not
 *   follow, so they do not count here.
 * - `mention_count`: messages, replies included, after the last read seq
 *   that mention the caller or the whole channel (not their own, not
 *   deleted): a mention is addressed to you wherever it is.
 */
function readStateColumns(userId: number) {
  const messages = tables.messages()
  return [
    'cm.role',
    'cm.last_read_seq',
    db.raw(
      `(SELECT count(*)::int FROM ${messages} m
         WHERE m.channel_id = c.id AND m.thread_id IS NULL AND m.seq > cm.last_read_seq
           AND m.deleted_at IS NULL AND m.sender_id <> ?) AS unread_count`,
      [userId]
    ),
    db.raw(
      `(SELECT count(*)::int FROM ${messages} m
         WHERE m.channel_id = c.id AND m.seq > cm.last_read_seq
           AND m.deleted_at IS NULL AND m.sender_id <> ?
           AND (m.mentions_channel OR ?::int = ANY (m.mention_ids))) AS mention_count`,
      [userId, userId]
    ),
  ]
}

/** The fixed member set of a direct conversation `c`. */
function directMembersColumn() {
  return db.raw(
    `CASE WHEN c.kind = 'direct' THEN ARRAY(
       SELECT d.user_id FROM ${tables.members()} d WHERE d.channel_id = c.id ORDER BY d.user_id
     )::int[] END AS member_ids`
  )
}

/**
 * Channel lists and single channels as a member sees them, with their
 * read state.
 */
export class ChannelDirectory {
  /** The caller's channels, direct conversations included, by id. */
  static async joined(actor: User, page: Page) {
    const query = db
      .from(`${tables.members()} as cm`)
      .join(`${tables.channels()} as c`, 'c.id', 'cm.channel_id')
      .where('cm.user_id', actor.id)
      .select('c.*', directMembersColumn(), ...readStateColumns(actor.id))
    return this.#page(query, page)
  }

  /** Public, unarchived channels the caller has not joined (full members only). */
  static async browsable(actor: User, page: Page) {
    ChannelAccess.authorize('browse', actor)
    const query = db
      .from(`${tables.channels()} as c`)
      .where('c.kind', 'public')
      .whereNull('c.archived_at')
      .whereNotExists((joined) => {
        joined
          .from(`${tables.members()} as cm`)
          .whereRaw('cm.channel_id = c.id')
          .where('cm.user_id', actor.id)
      })
      .select('c.*')
    return this.#page(query, page)
  }

  /** One channel; with the caller's read state when they are a member. */
  static async show(actor: User, channelId: number) {
    const { channel, membership } = await ChannelAccess.open(actor, channelId)
    if (!membership) {
      return channelResource(channel)
    }
    const row: ChannelListingRow = await db
      .from(`${tables.members()} as cm`)
      .join(`${tables.channels()} as c`, 'c.id', 'cm.channel_id')
      .where({ 'cm.channel_id': channel.id, 'cm.user_id': actor.id })
      .select('c.*', directMembersColumn(), ...readStateColumns(actor.id))
      .firstOrFail()
    return channelResource(row)
  }

  static async members(actor: User, channelId: number, page: Page) {
    const { channel } = await ChannelAccess.open(actor, channelId)
    const result = await paginateByKey(ChannelMembers.listing(channel.id), page, {
      columns: ['cm.user_id'],
      direction: 'asc',
      of: (row) => [row.user_id],
    })
    return {
      data: result.items.map(channelMemberResource),
      meta: { next_cursor: result.nextCursor },
    }
  }

  static async #page(query: ReturnType<typeof db.from>, page: Page) {
    const result = await paginateByKey<ChannelListingRow>(query, page, {
      columns: ['c.id'],
      direction: 'asc',
      of: (row) => [row.id],
    })
    return { data: result.items.map(channelResource), meta: { next_cursor: result.nextCursor } }
  }
}
