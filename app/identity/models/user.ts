import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { TenantModel } from '#tenancy/tenant_model'
import { TenantAccessTokensProvider } from '#identity/models/tenant_access_tokens_provider'
import type { DeactivationSource } from '#identity/member_change_actor'

export type UserRole = 'owner' | 'admin' | 'member' | 'guest'
export type UserStatus = 'active' | 'deactivated'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(TenantModel, AuthFinder) {
  static table = 'users'

  static accessTokens = new TenantAccessTokensProvider({
    tokenableModel: User,
    expiresIn: '30 days',
    prefix: 'tdm_',
  })

  @column({ isPrimary: true })
  declare id: number

  @column({ prepare: (value: string) => value.toLowerCase() })
  declare email: string

  @column()
  declare fullName: string

  @column({ serializeAs: null })
  declare password: string | null

  @column()
  declare role: UserRole

  @column()
  declare status: UserStatus

  @column.dateTime()
  declare deactivatedAt: DateTime | null

  @column()
  declare deactivationSource: DeactivationSource | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /**
   * Members provisioned by SCIM or a directory may have no password:
   * password sign-in fails for them as for a wrong password, in about
   * the same time.
   */
  async verifyPassword(plainPassword: string) {
    if (!this.password) {
      await hash.use('scrypt').make(plainPassword)
      return false
    }
    return super.verifyPassword(plainPassword)
  }

  get isActive() {
    return this.status === 'active'
  }

  get isAdmin() {
    return this.role === 'owner' || this.role === 'admin'
  }
}
