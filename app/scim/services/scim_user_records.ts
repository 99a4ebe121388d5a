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
   * Refuses a userName or email another member holds (409 uniqueness,
   * RFC 7644 section 3.3). A member SCIM never wrote holds their email as
   * userName.
   */
  static async ensureUnique(
    trx: TransactionClientContract,
    input: Pick<UserInput, 'userName' | 'email'>,
    exceptUserId: number | null
  ) {
    const { users, scimUsers } = tables()
    // Index lookups only (lower(user_name), lower(email)): this runs
    // before every create of an import.
    const { rows } = await trx.rawQuery(
      `SELECT true AS same_user_name FROM ${scimUsers}
         WHERE lower(user_name) = lower(?) AND user_id <> ?
       UNION ALL
       SELECT lower(u.email) = lower(?) AS same_user_name FROM ${users} u
         WHERE u.id <> ?
           AND (lower(u.email) = lower(?)
             OR (lower(u.email) = lower(?)
               AND NOT EXISTS (SELECT 1 FROM ${scimUsers} x WHERE x.user_id = u.id)))
       LIMIT 1`,
      [
        input.userName,
        exceptUserId ?? 0,
        input.userName,
        exceptUserId ?? 0,
        input.email,
        input.userName,
      ]
    )
    if (rows.length > 0) {
      throw new ScimError(
        409,
        'uniqueness',
        rows[0].same_user_name
          ? 'userName is already taken in this workspace'
          : 'This email belongs to another member of this workspace'
      )
    }
  }

  /** A member whose SCIM resource was deleted under this userName: a new POST restores them. */
  static async findDeleted(trx: TransactionClientContract, userName: string) {
    const { scimUsers } = tables()
    const row = await trx
      .from(scimUsers)
      .whereRaw('lower(user_name) = lower(?)', [userName])
      .whereNotNull('deleted_at')
      .forUpdate()
      .first()
    return row ? Number(row.user_id) : null
  }

  static async isDeleted(trx: TransactionClientContract, userId: number) {
    const row = await trx.from(tables().scimUsers).where('user_id', userId).first()
    return Boolean(row?.deleted_at)
  }

  /** Returns the modification time it stored. */
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
