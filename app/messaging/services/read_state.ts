import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type User from '#identity/models/user'
import { LiveUpdates } from '#realtime/services/live_updates'
import { ChannelAccess } from '#messaging/services/channel_access'
import { tables } from '#messaging/tables'
import { MessagingInputException } from '#messaging/exceptions'

/**
 * How far each member has read each channel. Read state only moves
 * forward: a device that reports an older position (it was offline)
 * does not undo what another device read.
 */
@inject()
export class ReadState {
  constructor(protected live: LiveUpdates) {}

  /**
   * Marks the channel read up to `seq` (at most the channel's last_seq).
   * One statement, which is its own transaction: nothing else changes
   * with it, so BEGIN and COMMIT would only add two round trips.
   */
  async markRead(actor: User, channelId: number, seq: number) {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new MessagingInputException('seq', 'A seq is a whole number, 0 or more')
    }
    // A deactivated member changes nothing; they are told why below.
    const row = actor.isActive ? await this.#advance(actor, channelId, seq) : undefined
    if (!row) {
      const scope = await ChannelAccess.open(actor, channelId)
      ChannelAccess.authorize('participate', actor, scope)
      throw new MessagingInputException(
        'seq',
        `The channel has nothing after seq ${scope.channel.last_seq} yet`
      )
    }
    const state = { channel_id: channelId, last_read_seq: Number(row.last_read_seq) }
    this.live.toUsers([actor.id], 'channel:read', state)
    return state
  }

  async #advance(actor: User, channelId: number, seq: number) {
    const result = await db.rawQuery(
      `UPDATE ${tables.members()} AS cm
          SET last_read_seq = GREATEST(cm.last_read_seq, ?)
         FROM ${tables.channels()} AS c
        WHERE c.id = cm.channel_id AND cm.channel_id = ? AND cm.user_id = ? AND ? <= c.last_seq
    RETURNING cm.last_read_seq`,
      [seq, channelId, actor.id, seq]
    )
    return result.rows[0] as { last_read_seq: number } | undefined
  }
}
