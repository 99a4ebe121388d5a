import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import type { UserInput } from '#scim/input/user_input'
import { ScimError } from '#scim/scim_error'

const tables = () => ({
  users: TenantContext.table('users'),
  scimUsers: TenantContext.table('scim_users'),
  memberships: TenantContext.table('scim_group_members'),
})

/**
 * What SCIM keeps of a member beyond the account (scim_users), and the
 * uniqueness rules of userName and the sign-in email.
 */
export class ScimUserRecords {
  /**
   * The members holding this userName or email, other than `exceptUserId`
   * (a member SCIM never wrote holds their email as userName), each with
   * whether it is the userName they hold and whether their SCIM resource
   * was deleted. Index lookups only (lower(user_name), lower(email)): this
   * runs before every create of an import.
   */
  static async holders(
    trx: TransactionClientContract,
    input: Pick<UserInput, 'userName' | 'email'>,
    exceptUserId: number | null
  ): Promise<{ userId: number; sameUserName: boolean; deleted: boolean }[]> {
    const { users, scimUsers } = tables()
    const { rows } = await trx.rawQuery(
      `SELECT user_id, true AS same_user_name, deleted_at IS NOT NULL AS deleted FROM ${scimUsers}
         WHERE lower(user_name) = lower(?) AND user_id <> ?
       UNION ALL
       SELECT u.id, lower(u.email) = lower(?), false FROM ${users} u
         WHERE u.id <> ?
           AND (lower(u.email) = lower(?)
             OR (lower(u.email) = lower(?)
               AND NOT EXISTS (SELECT 1 FROM ${scimUsers} x WHERE x.user_id = u.id)))`,
      [
        input.userName,
        exceptUserId ?? 0,
        input.userName,
        exceptUserId ?? 0,
        input.email,
        input.userName,
      ]
    )
    return rows.map((row: { user_id: string; same_user_name: boolean; deleted: boolean }) => ({
      userId: Number(row.user_id),
      sameUserName: row.same_user_name,
      deleted: row.deleted,
    }))
  }

  /** 409 uniqueness (RFC 7644 section 3.3) naming what is taken. */
  static conflict(holder: { sameUserName: boolean }) {
    return new ScimError(
      409,
      'uniqueness',
      holder.sameUserName
        ? 'userName is already taken in this workspace'
        : 'This email belongs to another member of this workspace'
    )
  }

  static async ensureUnique(
    trx: TransactionClientContract,
    input: Pick<UserInput, 'userName' | 'email'>,
    exceptUserId: number | null
  ) {
    const [holder] = await this.holders(trx, input, exceptUserId)
    if (holder) {
      throw this.conflict(holder)
    }
  }

  static async save(trx: TransactionClientContract, userId: number, input: UserInput) {
    const values = {
      user_name: input.userName,
      external_id: input.externalId,
      attributes: JSON.stringify(input.attributes),
      updated_at: new Date(),
      deleted_at: null,
    }
    await trx
      .insertQuery()
      .table(tables().scimUsers)
      .insert({ user_id: userId, ...values })
      .knexQuery.onConflict('user_id')
      .merge(Object.keys(values))
    return values.updated_at
  }

  /** Hides the resource and takes the member out of every SCIM group. */
  static async markDeleted(trx: TransactionClientContract, userId: number, userName: string) {
    const { scimUsers, memberships } = tables()
    await trx
      .insertQuery()
      .table(scimUsers)
      .insert({ user_id: userId, user_name: userName, deleted_at: new Date() })
      .knexQuery.onConflict('user_id')
      .merge(['deleted_at'])
    await trx.from(memberships).where('user_id', userId).delete()
  }
}
