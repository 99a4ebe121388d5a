import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'
import type { UserRole } from '#identity/models/user'

export default class Invitation extends TenantModel {
  static table = 'invitations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare role: Exclude<UserRole, 'owner'>

  @column({ serializeAs: null })
  declare tokenHash: string

  @column()
  declare invitedById: number | null

  @column()
  declare acceptedUserId: number | null

  @column.dateTime()
  declare expiresAt: DateTime

  @column.dateTime()
  declare acceptedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
