import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { tables } from '#messaging/tables'
import { ChannelArchivedException, MessagingNotFoundException } from '#messaging/exceptions'

/** What a change returns when, once under the lock, there was nothing to do. */
export const UNCHANGED = Symbol('unchanged')

/**
 * The channel's own counter. Every change to a channel's messages takes
 * the next number with `UPDATE channels SET last_seq = last_seq + 1`,
 * which holds the channel row lock until COMMIT: changes of one channel
 * commit in seq order, so a reader that has everything up to N can never
 * later see a commit numbered below N. That is what makes the catch-up
 * feed lossless (docs/chat.md).
 *
 * Lock order, everywhere in messaging: the channel row, then message
 * rows, then the audit head, then the event head.
 */
export class ChannelSequence {
  /**
   * Runs `work` in a transaction holding the channel's next seq. When it
   * answers UNCHANGED (an idempotent repeat found under the lock), the
   * transaction rolls back, the seq is handed back, and this returns
   * null: a seq is never spent on a change that did not happen, so the
   * numbers stay contiguous.
   */
  static async change<T>(
    channelId: number,
    work: (trx: TransactionClientContract, seq: number) => Promise<T | typeof UNCHANGED>
  ): Promise<T | null> {
    const trx = await db.transaction()
    try {
      const seq = await this.#take(trx, channelId)
      const result = await work(trx, seq)
      if (result === UNCHANGED) {
        await trx.rollback()
        return null
      }
      await trx.commit()
      return result
    } catch (error) {
      if (!trx.isCompleted) {
        await trx.rollback()
      }
      throw error
    }
  }

  /** An archived channel is read-only. */
  static async #take(trx: TransactionClientContract, channelId: number) {
    const result = await trx.rawQuery(
      `UPDATE ${tables.channels()} SET last_seq = last_seq + 1
        WHERE id = ?
    RETURNING last_seq, archived_at`,
      [channelId]
    )
    const row = result.rows[0]
    if (!row) {
      throw new MessagingNotFoundException('channel')
    }
    if (row.archived_at !== null) {
      throw new ChannelArchivedException()
    }
    return Number(row.last_seq)
  }
}
