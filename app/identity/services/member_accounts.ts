import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User, { type UserRole } from '#identity/models/user'

/**
 * Creates member accounts. The caller binds the tenant and owns the
 * transaction, so account creation composes with provisioning and
 * invitation acceptance.
 */
export class MemberAccounts {
  static findByEmail(trx: TransactionClientContract, email: string) {
    return User.query({ client: trx }).whereRaw('lower(email) = ?', [email.toLowerCase()]).first()
  }

  static create(
    trx: TransactionClientContract,
    data: { email: string; fullName: string; password: string | null; role: UserRole }
  ) {
    return User.create(
      {
        email: data.email.toLowerCase(),
        fullName: data.fullName,
        password: data.password,
        role: data.role,
        status: 'active',
      },
      { client: trx }
    )
  }
}
