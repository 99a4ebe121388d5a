import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

export default class Comment extends TenantModel {
  static table = 'comments'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare taskId: number

  @column()
  declare authorId: number

  @column()
  declare body: string

  /** Members mentioned as `<@id>` in the body. */
  @column()
  declare mentionIds: number[]

  @column.dateTime()
  declare editedAt: DateTime | null

  @column.dateTime()
  declare deletedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
