import { inject } from '@adonisjs/core'
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
import { PostingBatches } from '#messaging/services/posting_batches'
import { PluginHooks } from '#plugins/services/plugin_hooks'
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

interface Post {
  actor: User
  channelId: number
  text: string
  mentionIds: number[]
  mentionsChannel: boolean
  clientId: string
  threadId: number | null
}

/**
 * Posting messages: the hot path of chat, built for thousands of posts a
 * second. A post is one statement (take the channel's next seq, check
 * membership, bump a thread root, insert); the posts of a tenant that
 * arrive together share one transaction, one outbox append and one COMMIT
 * (PostingBatches). No model is hydrated. Live subscribers hear of a post
 * only after COMMIT.
 */
@inject()
export class MessagePosting {
  /** Posts share transactions under load (see PostingBatches). */
  #batches = new PostingBatches<Post, MessageRow | undefined>(
    (trx, posts) => this.#write(trx, posts),
    // Channel rows are locked in id order, before the outbox head.
    (a, b) => a.channelId - b.channelId
  )

  constructor(
    protected live: LiveUpdates,
    protected hooks: PluginHooks
  ) {}

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
    const clientId = readClientId(input.clientId)
    const body = await this.#rewrittenByPlugins(actor, channelId, readMessageBody(input.body))
    const threadId = input.threadId ?? null
    let row: MessageRow | undefined
    try {
      row = await this.#batches.submit({ actor, channelId, ...body, clientId, threadId })
    } catch (error) {
      if (!isClientIdRepeat(error)) {
        throw error
      }
    }
    if (!row) {
      const repeat = await MessageRecords.byClientId(channelId, actor.id, clientId)
      if (repeat) {
        return { message: messageResource(repeat), created: false }
      }
      return this.#refuse(actor, channelId)
    }
    const message = messageResource(row)
    this.live.toChannel(channelId, 'message:new', message, { except: options.exceptSocketId })
    return { message, created: true }
  }

  /**
   * The body after the `message.beforePost` hooks of the tenant's plugins
   * (which may refuse it). A rewrite that is not a valid body is ignored.
   */
  async #rewrittenByPlugins(
    actor: User,
    channelId: number,
    body: ReturnType<typeof readMessageBody>
  ) {
    const text = await this.hooks.messageBeforePost({
      channel_id: channelId,
      sender_id: actor.id,
      body: body.text,
    })
    if (text === body.text) {
      return body
    }
    try {
      return readMessageBody(text)
    } catch {
      return body
    }
  }

  /** One batch: each post's statement, then one append for all that were written. */
  async #write(trx: TransactionClientContract, posts: Post[]) {
    const rows: (MessageRow | undefined)[] = []
    for (const post of posts) {
      rows.push(await this.#insert(trx, post))
    }
    const events = rows.flatMap((row, index) =>
      row
        ? [
            new MessagePosted(
              {
                channel_id: row.channel_id,
                message_id: row.id,
                seq: row.seq,
                thread_id: row.thread_id,
                sender_id: row.sender_id,
                mention_ids: row.mention_ids,
                mentions_channel: row.mentions_channel,
              },
              posts[index].actor.id
            ),
          ]
        : []
    )
    if (events.length > 0) {
      await EventOutbox.append(trx, events)
    }
    return rows
  }

  /**
   * One statement: the seq is taken only when the sender is a member, the
   * channel is not archived, this client id is new here and the thread
   * root (if any) is a live top-level message of this channel, whose
   * reply count and changed_seq move with it. No row back means one of
   * those failed and nothing changed, so the rest of a batch goes on.
   */
  async #insert(trx: TransactionClientContract, post: Post): Promise<MessageRow | undefined> {
    const { actor, channelId } = post
    const members = tables.members()
    const messages = tables.messages()
    const mentions = mentionedMembers(members, channelId, post.mentionIds)
    const root = post.threadId !== null
    const result = await trx.rawQuery(
      `WITH bumped AS (
         UPDATE ${tables.channels()} SET last_seq = last_seq + 1
          WHERE id = ? AND archived_at IS NULL
            AND EXISTS (SELECT 1 FROM ${members} WHERE channel_id = ? AND user_id = ?)
            AND NOT EXISTS (
              SELECT 1 FROM ${messages} WHERE channel_id = ? AND sender_id = ? AND client_id = ?
            )${
              root
                ? `
            AND EXISTS (
              SELECT 1 FROM ${messages}
               WHERE id = ? AND channel_id = ? AND thread_id IS NULL AND deleted_at IS NULL
            )`
                : ''
            }
      RETURNING last_seq AS seq
       )${
         root
           ? `, root AS (
         UPDATE ${messages} AS r
            SET reply_count = r.reply_count + 1, last_reply_at = now(), changed_seq = bumped.seq
           FROM bumped
          WHERE r.id = ?
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
        channelId,
        actor.id,
        post.clientId,
        ...(root ? [post.threadId, channelId, post.threadId] : []),
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
  async #refuse(actor: User, channelId: number): Promise<never> {
    const scope = await ChannelAccess.open(actor, channelId)
    ChannelAccess.authorize('participate', actor, scope)
    if (scope.channel.archived_at !== null) {
      throw new ChannelArchivedException()
    }
    throw new MessagingInputException(
      'thread_id',
      'No message to reply to here: a thread starts at a live top-level message of this channel'
    )
  }
}

/**
 * Two posts of one client id racing on two nodes: the unique index lets
 * one in and the other finds its message.
 */
function isClientIdRepeat(error: unknown) {
  const violation = error as { code?: string; constraint?: string }
  return violation.code === UNIQUE_VIOLATION && violation.constraint === CLIENT_ID_CONSTRAINT
}
