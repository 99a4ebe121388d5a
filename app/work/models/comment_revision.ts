import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

/** What a comment said before one of its edits. */
export default class CommentRevision extends TenantModel {
  static table = 'comment_revisions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare commentId: number

  @column()
  declare body: string

  @column()
  declare editedById: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
