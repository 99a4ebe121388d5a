import { inject } from '@adonisjs/core'
import type User from '#identity/models/user'
import { EventOutbox } from '#events/event_outbox'
import { LiveUpdates } from '#realtime/services/live_updates'
import { paginateByKey } from '#shared/pagination'
import { ChannelAccess } from '#messaging/services/channel_access'
import { ChannelSequence, UNCHANGED } from '#messaging/services/channel_sequence'
import { MessageRecords } from '#messaging/services/message_records'
import { messageResource, type MessageResource } from '#messaging/resources'
import { tables } from '#messaging/tables'
import { MessagePinned, MessageUnpinned } from '#messaging/events'

/**
 * Pinned messages of a channel: any member pins or unpins a live
 * message; pinning what is pinned (or unpinning what is not) changes
 * nothing and is not broadcast.
 */
@inject()
export class MessagePins {
  constructor(protected live: LiveUpdates) {}

  async pin(actor: User, messageId: number): Promise<MessageResource> {
    const { channelId, threadId, changed } = await this.#change(actor, messageId, true)
    if (!changed) {
      return messageResource((await MessageRecords.find(messageId))!)
    }
    const message = messageResource(changed)
    this.live.toChannel(channelId, 'message:pinned', {
      channel_id: channelId,
      message_id: messageId,
      thread_id: threadId,
      pinned_by: message.pinned_by,
      pinned_at: message.pinned_at,
      changed_seq: message.changed_seq,
    })
    return message
  }

  async unpin(actor: User, messageId: number): Promise<void> {
    const { channelId, threadId, changed } = await this.#change(actor, messageId, false)
    if (changed) {
      this.live.toChannel(channelId, 'message:unpinned', {
        channel_id: channelId,
        message_id: messageId,
        thread_id: threadId,
        changed_seq: changed.changed_seq,
      })
    }
  }

  /** The channel's pinned messages, latest message first (whoever can read the channel). */
  async list(actor: User, channelId: number, page: { cursor?: string; limit?: number }) {
    const { channel } = await ChannelAccess.open(actor, channelId)
    const result = await paginateByKey(
      MessageRecords.query().where('m.channel_id', channel.id).whereNotNull('m.pinned_at'),
      page,
      { columns: ['m.seq'], direction: 'desc', of: (row) => [row.seq] }
    )
    return { data: result.items.map(messageResource), meta: { next_cursor: result.nextCursor } }
  }

  async #change(actor: User, messageId: number, pinned: boolean) {
    const { message, scope } = await ChannelAccess.openLiveMessage(actor, messageId)
    ChannelAccess.authorize('participate', actor, scope)
    const channelId = message.channel_id
    const changed = await ChannelSequence.change(channelId, async (trx, seq) => {
      const current = await MessageRecords.lock(trx, messageId)
      if ((current.pinned_at !== null) === pinned) {
        return UNCHANGED
      }
      await trx
        .from(tables.messages())
        .where('id', messageId)
        .update({
          pinned_at: pinned ? new Date() : null,
          pinned_by: pinned ? actor.id : null,
          changed_seq: seq,
        })
      const reference = {
        channel_id: channelId,
        message_id: messageId,
        thread_id: current.thread_id,
        changed_seq: seq,
      }
      await EventOutbox.append(trx, [
        pinned ? new MessagePinned(reference, actor.id) : new MessageUnpinned(reference, actor.id),
      ])
      return (await MessageRecords.find(messageId, trx))!
    })
    return { channelId, threadId: message.thread_id, changed }
  }
}
