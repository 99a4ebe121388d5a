import type User from '#identity/models/user'
import { ChannelAccess } from '#messaging/services/channel_access'
import { MessageRecords } from '#messaging/services/message_records'
import { messageResource } from '#messaging/resources'
import type { MessageRow } from '#messaging/tables'
import { MessagingInputException } from '#messaging/exceptions'

export const DEFAULT_HISTORY_PAGE = 50
export const MAX_HISTORY_PAGE = 200

/**
 * Reading a channel's messages, for whoever can see the channel (members,
 * and full members reading a public channel they did not join).
 */
export class ChannelHistory {
  /**
   * The catch-up feed: every message whose latest change came after
   * `afterSeq`, in (changed_seq, id) order, each once, in its current
   * state (tombstones included). A client keeps the highest changed_seq
   * it has applied and pages with `next_after_seq` until `has_more` is
   * false. Seqs are handed out under the channel row lock and so commit in
   * order: nothing can later appear below a seq already read.
   */
  static async changesAfter(
    actor: User,
    channelId: number,
    afterSeq: number,
    limit = DEFAULT_HISTORY_PAGE
  ) {
    this.#ensureSeq(afterSeq, 'after_seq')
    const { channel } = await ChannelAccess.open(actor, channelId)
    const size = this.#limit(limit)
    const rows: MessageRow[] = await MessageRecords.query()
      .where('m.channel_id', channel.id)
      .where('m.changed_seq', '>', afterSeq)
      .orderBy('m.changed_seq')
      .orderBy('m.id')
      // One row more than a page tells whether there is more, and one
      // more again completes a seq shared across the page's end.
      .limit(size + 2)
    const page = this.#wholeSeqs(rows, size)
    return {
      data: page.map(messageResource),
      meta: {
        next_after_seq: page.at(-1)?.changed_seq ?? afterSeq,
        has_more: rows.length > page.length,
      },
    }
  }

  /**
   * Scrollback. Without `threadId`: top-level messages, newest first,
   * below `beforeSeq`; page on with `next_before_seq`. With `threadId`:
   * that thread's replies, oldest first, after `afterSeq`; page on with
   * `next_after_seq`.
   */
  static async page(
    actor: User,
    channelId: number,
    options: { beforeSeq?: number; threadId?: number; afterSeq?: number; limit?: number }
  ) {
    const { channel } = await ChannelAccess.open(actor, channelId)
    const size = this.#limit(options.limit ?? DEFAULT_HISTORY_PAGE)
    if (options.threadId !== undefined) {
      if (options.beforeSeq !== undefined) {
        throw new MessagingInputException('before_seq', 'A thread pages forward, with after_seq')
      }
      return this.#thread(channel.id, options.threadId, options.afterSeq ?? 0, size)
    }
    if (options.afterSeq !== undefined) {
      throw new MessagingInputException('after_seq', 'The top level scrolls back, with before_seq')
    }
    const query = MessageRecords.query().where('m.channel_id', channel.id).whereNull('m.thread_id')
    if (options.beforeSeq !== undefined) {
      this.#ensureSeq(options.beforeSeq, 'before_seq')
      query.where('m.seq', '<', options.beforeSeq)
    }
    const rows: MessageRow[] = await query.orderBy('m.seq', 'desc').limit(size + 1)
    const page = rows.slice(0, size)
    const hasMore = rows.length > size
    return {
      data: page.map(messageResource),
      meta: { next_before_seq: hasMore ? page.at(-1)!.seq : null, has_more: hasMore },
    }
  }

  /** One message, or its tombstone, for whoever can read its channel. */
  static async message(actor: User, messageId: number) {
    const { message } = await ChannelAccess.openMessage(actor, messageId)
    return messageResource(message)
  }

  static async #thread(channelId: number, threadId: number, afterSeq: number, size: number) {
    this.#ensureSeq(afterSeq, 'after_seq')
    const root = await MessageRecords.query()
      .where({ 'm.id': threadId, 'm.channel_id': channelId })
      .whereNull('m.thread_id')
      .first()
    if (!root) {
      throw new MessagingInputException('thread_id', 'No thread starts at this message here')
    }
    const rows: MessageRow[] = await MessageRecords.query()
      .where({ 'm.channel_id': channelId, 'm.thread_id': threadId })
      .where('m.seq', '>', afterSeq)
      .orderBy('m.seq')
      .limit(size + 1)
    const page = rows.slice(0, size)
    const hasMore = rows.length > size
    return {
      data: page.map(messageResource),
      meta: { next_after_seq: hasMore ? page.at(-1)!.seq : null, has_more: hasMore },
    }
  }

  /**
   * The first `limit` rows, cut so that no changed_seq is split between
   * two pages: a thread reply and its root share the reply's seq, and a
   * page ending between them would make `next_after_seq` skip the second.
   * Only those two ever share one, so when the whole page is one seq
   * (limit 1), taking the rows of that seq completes it.
   */
  static #wholeSeqs(rows: MessageRow[], limit: number) {
    if (rows.length <= limit) {
      return rows
    }
    const boundary = rows[limit].changed_seq
    const page = rows.slice(0, limit)
    const split = page.findIndex((row) => row.changed_seq === boundary)
    if (split === -1) {
      return page
    }
    return split === 0 ? rows.filter((row) => row.changed_seq === boundary) : page.slice(0, split)
  }

  static #limit(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
      throw new MessagingInputException('limit', `A page has 1 to ${MAX_HISTORY_PAGE} messages`)
    }
    return limit
  }

  static #ensureSeq(seq: number, field: string) {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new MessagingInputException(field, 'A seq is a whole number, 0 or more')
    }
  }
}
