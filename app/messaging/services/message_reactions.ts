import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import type User from '#identity/models/user'
import { EventOutbox } from '#events/event_outbox'
import { LiveUpdates } from '#realtime/services/live_updates'
import { ChannelAccess } from '#messaging/services/channel_access'
import { ChannelSequence, UNCHANGED } from '#messaging/services/channel_sequence'
import { MessageRecords } from '#messaging/services/message_records'
import { readEmoji } from '#messaging/emoji'
import { messageResource, type MessageResource } from '#messaging/resources'
import { tables } from '#messaging/tables'
import { MessageReactionAdded, MessageReactionRemoved } from '#messaging/events'
import { ReactionLimitException } from '#messaging/exceptions'

/** Different emojis on one message, like Slack's limit. */
export const MAX_DISTINCT_REACTIONS = 50

/**
 * Members' reactions to live messages. Both directions are idempotent: a
 * reaction already there (or already gone) takes no seq and is not
 * broadcast.
 */
@inject()
export class MessageReactions {
  constructor(protected live: LiveUpdates) {}

  /** The message after the change; `added` is false when the reaction was already there. */
  async add(
    actor: User,
    messageId: number,
    emoji: string
  ): Promise<{ message: MessageResource; added: boolean }> {
    const added = await this.#change(actor, messageId, emoji, 'added', async (trx, reaction) => {
      const outcome = await this.#insert(trx, messageId, actor.id, reaction)
      if (outcome === 'full') {
        throw new ReactionLimitException(MAX_DISTINCT_REACTIONS)
      }
      return outcome === 'added'
    })
    return { message: messageResource((await MessageRecords.find(messageId))!), added }
  }

  /** `removed` is false when the caller had no such reaction. */
  async remove(actor: User, messageId: number, emoji: string): Promise<{ removed: boolean }> {
    const removed = await this.#change(
      actor,
      messageId,
      emoji,
      'removed',
      async (trx, reaction) => {
        const deleted = await trx
          .from(tables.reactions())
          .where({ message_id: messageId, user_id: actor.id, emoji: reaction })
          .delete()
          .returning('emoji')
        return deleted.length > 0
      }
    )
    return { removed }
  }

  /**
   * Applies one reaction change under the channel's next seq; when
   * `apply` says nothing changed, the seq is handed back and nothing is
   * announced. Whether it changed.
   */
  async #change(
    actor: User,
    messageId: number,
    emoji: string,
    change: 'added' | 'removed',
    apply: (trx: TransactionClientContract, reaction: string) => Promise<boolean>
  ) {
    const reaction = readEmoji(emoji)
    const { message, scope } = await ChannelAccess.openLiveMessage(actor, messageId)
    ChannelAccess.authorize('participate', actor, scope)
    const channelId = message.channel_id
    const reference = {
      channel_id: channelId,
      message_id: messageId,
      user_id: actor.id,
      emoji: reaction,
    }
    const changedSeq = await ChannelSequence.change(channelId, async (trx, seq) => {
      await MessageRecords.lock(trx, messageId)
      if (!(await apply(trx, reaction))) {
        return UNCHANGED
      }
      await trx.from(tables.messages()).where('id', messageId).update({ changed_seq: seq })
      const payload = { ...reference, thread_id: message.thread_id, changed_seq: seq }
      await EventOutbox.append(trx, [
        change === 'added'
          ? new MessageReactionAdded(payload, actor.id)
          : new MessageReactionRemoved(payload, actor.id),
      ])
      return seq
    })
    if (changedSeq === null) {
      return false
    }
    this.live.toChannel(channelId, `reaction:${change}`, { ...reference, changed_seq: changedSeq })
    return true
  }

  /**
   * Adds the reaction unless the caller has it already or it would be one
   * emoji too many. Reaction changes of a channel are serialized by its
   * seq lock, so the count cannot race.
   */
  async #insert(trx: TransactionClientContract, messageId: number, userId: number, emoji: string) {
    const reactions = tables.reactions()
    const result = await trx.rawQuery(
      `WITH known AS (
         SELECT count(DISTINCT emoji) AS distinct_count, bool_or(emoji = ?) AS emoji_used,
                bool_or(emoji = ? AND user_id = ?) AS mine
           FROM ${reactions} WHERE message_id = ?
       ), added AS (
         INSERT INTO ${reactions} (message_id, user_id, emoji)
         SELECT ?, ?, ? FROM known
          WHERE NOT coalesce(known.mine, false)
            AND (coalesce(known.emoji_used, false) OR known.distinct_count < ?)
         RETURNING emoji
       )
       SELECT coalesce(known.mine, false) AS mine, EXISTS (SELECT 1 FROM added) AS added
         FROM known`,
      [
        emoji,
        emoji,
        userId,
        messageId,
        messageId,
        userId,
        emoji,
        MAX_DISTINCT_REACTIONS,
      ] as RawQueryBindings
    )
    const { mine, added } = result.rows[0]
    return mine ? 'present' : added ? 'added' : 'full'
  }
}
