import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import { EventOutbox } from '#events/event_outbox'
import { LiveUpdates } from '#realtime/services/live_updates'
import { ChannelMembers } from '#messaging/services/channel_members'
import { ChannelDirectory } from '#messaging/services/channel_directory'
import { channelResource, type ChannelResource } from '#messaging/resources'
import { tables, type ChannelRow } from '#messaging/tables'
import { ChannelCreated, ChannelMemberAdded } from '#messaging/events'
import { MessagingInputException } from '#messaging/exceptions'

/** Members of a direct conversation, the caller included. */
export const MIN_DIRECT_MEMBERS = 2
export const MAX_DIRECT_MEMBERS = 9

/**
 * Direct conversations, 1:1 or in a group: one per exact member set,
 * with that set fixed for good. Not audited: a conversation between
 * members is not an administrative act.
 */
@inject()
export class DirectMessages {
  constructor(protected live: LiveUpdates) {}

  /**
   * The conversation of the caller with `userIds` (the caller may be
   * listed or not), created when it does not exist yet. Guests reach only
   * people they share a channel with.
   */
  async open(
    actor: User,
    userIds: number[]
  ): Promise<{ channel: ChannelResource; created: boolean }> {
    const memberIds = [...new Set([...userIds, actor.id])].sort((a, b) => a - b)
    if (memberIds.length < MIN_DIRECT_MEMBERS || memberIds.length > MAX_DIRECT_MEMBERS) {
      throw new MessagingInputException(
        'user_ids',
        `A direct conversation has ${MIN_DIRECT_MEMBERS} to ${MAX_DIRECT_MEMBERS} members, you included`
      )
    }
    const key = memberIds.join(',')
    const existing = await this.#find(key)
    if (existing) {
      return { channel: await ChannelDirectory.show(actor, existing.id), created: false }
    }
    const others = memberIds.filter((id) => id !== actor.id)
    const created = await db.transaction(async (trx) => {
      await ChannelMembers.ensureActive(trx, others, 'user_ids')
      if (actor.role === 'guest') {
        await this.#ensureReachable(trx, actor, others)
      }
      // Two clients opening the same conversation at once: the unique key
      // keeps one, and the other reads it below.
      const inserted = await trx.rawQuery(
        `INSERT INTO ${tables.channels()} (kind, direct_key, created_by)
         VALUES ('direct', ?, ?)
         ON CONFLICT (direct_key) DO NOTHING
         RETURNING *`,
        [key, actor.id]
      )
      const channel: ChannelRow | undefined = inserted.rows[0]
      if (!channel) {
        return null
      }
      await ChannelMembers.add(trx, channel.id, memberIds, 'member')
      await EventOutbox.append(trx, [
        new ChannelCreated({ channel_id: channel.id, kind: 'direct', name: null }, actor.id),
        ...memberIds.map(
          (userId) =>
            new ChannelMemberAdded(
              { channel_id: channel.id, user_id: userId, role: 'member' },
              actor.id
            )
        ),
      ])
      return channel
    })
    if (!created) {
      const winner = (await this.#find(key))!
      return { channel: await ChannelDirectory.show(actor, winner.id), created: false }
    }
    const channel = channelResource({
      ...created,
      member_ids: memberIds,
      role: 'member',
      last_read_seq: 0,
      unread_count: 0,
      mention_count: 0,
    })
    this.live.toUsers(memberIds, 'channel:added', channel)
    return { channel, created: true }
  }

  #find(key: string): Promise<ChannelRow | null> {
    return db.from(tables.channels()).where('direct_key', key).first()
  }

  /** Guests write only to people they already share a channel with. */
  async #ensureReachable(trx: TransactionClientContract, actor: User, others: number[]) {
    const rows = await trx
      .from(`${tables.members()} as mine`)
      .join(`${tables.members()} as theirs`, 'theirs.channel_id', 'mine.channel_id')
      .where('mine.user_id', actor.id)
      .whereIn('theirs.user_id', others)
      .distinct('theirs.user_id')
    const reachable = new Set(rows.map((row) => row.user_id))
    const unreachable = others.find((id) => !reachable.has(id))
    if (unreachable !== undefined) {
      throw new MessagingInputException('user_ids', `No active member with id ${unreachable}`)
    }
  }
}
