import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import type User from '#identity/models/user'
import { EventOutbox } from '#events/event_outbox'
import { LiveUpdates } from '#realtime/services/live_updates'
import { ChannelAccess } from '#messaging/services/channel_access'
import { MessageRecords } from '#messaging/services/message_records'
import { mentionedMembers, readClientId, readMessageBody } from '#messaging/message_body'
import { messageResource, type MessageResource } from '#messaging/resources'
import { tables, type MessageRow } from '#messaging/tables'
import { MessagePosted } from '#messaging/events'
import {
  ChannelArchivedException,
  MessagingInputException,
  MessagingNotFoundException,
} from '#messaging/exceptions'

export interface PostInput {
  body: string
  /** The client's id for this post: a retry with the same one gets the stored message. */
  clientId: string
  /** Reply in the thread of this top-level message. */
  threadId?: number | null
}

const UNIQUE_VIOLATION = '23505'
const CLIENT_ID_CONSTRAINT = 'messages_channel_id_sender_id_client_id_unique'

/**
 * Posting messages: the hot path of chat, built for thousands of posts a
 * second. A post is BEGIN, one statement (take the channel's next seq,
 * check membership, bump a thread root, insert), the outbox append, and
 * COMMIT; no model is hydrated. Live subscribers hear of it only after
 * COMMIT.
 */
@inject()
export class MessagePosting {
  constructor(protected live: LiveUpdates) {}

  /**
   * `created` is false when the sender already posted this `clientId` in
   * the channel: the stored message comes back, and nothing is broadcast.
   * `exceptSocketId` leaves the sender's own socket out of the broadcast
   * (it has the answer already).
   */
  async post(
    actor: User,
    channelId: number,
    input: PostInput,
    options: { exceptSocketId?: string } = {}
  ): Promise<{ message: MessageResource; created: boolean }> {
    if (!actor.isActive) {
      throw new MessagingNotFoundException('channel')
    }
    const body = readMessageBody(input.body)
    const clientId = readClientId(input.clientId)
    const threadId = input.threadId ?? null
    let row: MessageRow
    try {
      row = await db.transaction(async (trx) => {
        const inserted = await this.#insert(trx, actor, channelId, { ...body, clientId, threadId })
        if (!inserted) {
          return this.#refuse(trx, actor, channelId)
        }
        await EventOutbox.append(trx, [
          new MessagePosted(
            {
              channel_id: channelId,
              message_id: inserted.id,
              seq: inserted.seq,
              thread_id: inserted.thread_id,
              sender_id: actor.id,
              mention_ids: inserted.mention_ids,
              mentions_channel: inserted.mentions_channel,
            },
            actor.id
          ),
        ])
        return inserted
      })
    } catch (error) {
      const repeat = await this.#repeat(error, channelId, actor, clientId)
      if (repeat) {
        return { message: messageResource(repeat), created: false }
      }
      throw error
    }
    const message = messageResource(row)
    this.live.toChannel(channelId, 'message:new', message, { except: options.exceptSocketId })
    return { message, created: true }
  }

  /**
   * One statement: the seq update only matches when the sender is a
   * member and the channel is not archived, and the insert only happens
   * when the thread root (if any) is a live top-level message of this
   * channel, whose reply count and changed_seq move with it. No row back
   * means one of those failed; the transaction then rolls back, seq
   * included.
   */
  async #insert(
    trx: TransactionClientContract,
    actor: User,
    channelId: number,
    post: {
      text: string
      mentionIds: number[]
      mentionsChannel: boolean
      clientId: string
      threadId: number | null
    }
  ): Promise<MessageRow | undefined> {
    const members = tables.members()
    const messages = tables.messages()
    const mentions = mentionedMembers(members, channelId, post.mentionIds)
    const root = post.threadId !== null
    const result = await trx.rawQuery(
      `WITH bumped AS (
         UPDATE ${tables.channels()} SET last_seq = last_seq + 1
          WHERE id = ? AND archived_at IS NULL
            AND EXISTS (SELECT 1 FROM ${members} WHERE channel_id = ? AND user_id = ?)
      RETURNING last_seq AS seq
       )${
         root
           ? `, root AS (
         UPDATE ${messages} AS r
            SET reply_count = r.reply_count + 1, last_reply_at = now(), changed_seq = bumped.seq
           FROM bumped
          WHERE r.id = ? AND r.channel_id = ? AND r.thread_id IS NULL AND r.deleted_at IS NULL
      RETURNING r.id
       )`
           : ''
       }
       INSERT INTO ${messages}
         (channel_id, seq, changed_seq, thread_id, sender_id, client_id, body, mention_ids,
          mentions_channel)
       SELECT ?, bumped.seq, bumped.seq, ?, ?, ?, ?, ${mentions.sql}, ?
         FROM bumped ${root ? 'WHERE EXISTS (SELECT 1 FROM root)' : ''}
       RETURNING *`,
      [
        channelId,
        channelId,
        actor.id,
        ...(root ? [post.threadId, channelId] : []),
        channelId,
        post.threadId,
        actor.id,
        post.clientId,
        post.text,
        ...mentions.bindings,
        post.mentionsChannel,
      ] as RawQueryBindings
    )
    return result.rows[0]
  }

  /** Why nothing was inserted, as the error the caller gets (always throws). */
  async #refuse(trx: TransactionClientContract, actor: User, channelId: number): Promise<never> {
    const scope = await ChannelAccess.open(actor, channelId, trx)
    ChannelAccess.authorize('participate', actor, scope)
    if (scope.channel.archived_at !== null) {
      throw new ChannelArchivedException()
    }
    throw new MessagingInputException(
      'thread_id',
      'No message to reply to here: a thread starts at a live top-level message of this channel'
    )
  }

  /**
   * The stored message when the post failed only because this sender
   * already used this client id here. The unique index settles concurrent
   * retries: the second waits for the first and then finds its message.
   */
  async #repeat(error: unknown, channelId: number, actor: User, clientId: string) {
    const violation = error as { code?: string; constraint?: string }
    if (violation.code !== UNIQUE_VIOLATION || violation.constraint !== CLIENT_ID_CONSTRAINT) {
      return null
    }
    return MessageRecords.byClientId(channelId, actor.id, clientId)
  }
}
