import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import { tables, type ChannelRole } from '#messaging/tables'
import { MessagingInputException } from '#messaging/exceptions'

/**
 * Rows of `channel_members`, shared by channel administration and direct
 * messages. Callers own the transaction, the audit and the events.
 */
export class ChannelMembers {
  /** 422 on `field` unless every id is an active member of the workspace. */
  static async ensureActive(trx: TransactionClientContract, userIds: number[], field: string) {
    if (userIds.length === 0) {
      return []
    }
    const users = await User.query({ client: trx }).whereIn('id', userIds)
    for (const id of userIds) {
      if (!users.find((user) => user.id === id)?.isActive) {
        throw new MessagingInputException(field, `No active member with id ${id}`)
      }
    }
    return users
  }

  /**
   * Adds those of the users who are not members yet and returns their ids
   * in ascending order. A newcomer has read up to the channel's current
   * seq: what was said before they joined is history, not unread.
   */
  static async add(
    trx: TransactionClientContract,
    channelId: number,
    userIds: number[],
    role: ChannelRole
  ): Promise<number[]> {
    if (userIds.length === 0) {
      return []
    }
    const result = await trx.rawQuery(
      `INSERT INTO ${tables.members()} (channel_id, user_id, role, last_read_seq)
       SELECT c.id, u.id, ?, c.last_seq
         FROM ${tables.channels()} c, unnest(?::bigint[]) AS u (id)
        WHERE c.id = ?
       ON CONFLICT (channel_id, user_id) DO NOTHING
       RETURNING user_id`,
      [role, userIds, channelId] as RawQueryBindings
    )
    const ids: number[] = result.rows.map((row: { user_id: number }) => row.user_id)
    return ids.sort((a, b) => a - b)
  }

  /** A channel's members with their names, for paging by `cm.user_id`. */
  static listing(channelId: number) {
    return db
      .from(`${tables.members()} as cm`)
      .join(`${TenantContext.table('users')} as u`, 'u.id', 'cm.user_id')
      .where('cm.channel_id', channelId)
      .select('cm.user_id', 'cm.role', 'cm.joined_at', 'u.full_name')
  }
}
