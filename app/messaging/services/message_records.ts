import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { tables, type MessageRow } from '#messaging/tables'
import { MessagingNotFoundException } from '#messaging/exceptions'

/**
 * A message's reactions grouped by emoji, in the order they were first
 * used, computed by PostgreSQL alongside the message: a page of messages
 * is one query, whatever its size.
 */
function reactionsColumn() {
  return db.raw(`(
    SELECT COALESCE(json_agg(json_build_object('emoji', r.emoji, 'count', r.count,
                                               'user_ids', r.user_ids)
                             ORDER BY r.first_at, r.emoji), '[]'::json)
      FROM (SELECT emoji, count(*)::int AS count,
                   array_agg(user_id ORDER BY created_at, user_id) AS user_ids,
                   min(created_at) AS first_at
              FROM ${tables.reactions()}
             WHERE message_id = m.id
             GROUP BY emoji) r
  ) AS reactions`)
}

/** Reading stored messages, as rows ready for messageResource. */
export class MessageRecords {
  /** Messages (aliased `m`) with their reactions. */
  static query(client: QueryClientContract = db.connection()) {
    return client.from(`${tables.messages()} as m`).select('m.*', reactionsColumn())
  }

  static async find(
    messageId: number,
    client: QueryClientContract = db.connection()
  ): Promise<MessageRow | null> {
    return this.query(client).where('m.id', messageId).first()
  }

  /** The message a sender posted with this client id, if any. */
  static async byClientId(
    channelId: number,
    senderId: number,
    clientId: string
  ): Promise<MessageRow | null> {
    return this.query()
      .where({ 'm.channel_id': channelId, 'm.sender_id': senderId, 'm.client_id': clientId })
      .first()
  }

  /**
   * Locks a live message for a change; 404 when it is gone or deleted.
   * Callers hold the channel's seq (ChannelSequence.change), so the
   * channel row is always locked before the message row.
   */
  static async lock(trx: TransactionClientContract, messageId: number): Promise<MessageRow> {
    const message = await trx
      .from(tables.messages())
      .where('id', messageId)
      .whereNull('deleted_at')
      .forUpdate()
      .first()
    if (!message) {
      throw new MessagingNotFoundException('message')
    }
    return message
  }
}
