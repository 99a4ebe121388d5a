import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * The users table of one tenant as an ordinary Lucid model, with a fixed
 * schema-qualified table and no tenant machinery. Endpoint (d) uses it to
 * separate the cost of tenant scoping from the cost of the ORM itself.
 */
export function plainUserModel(schema: string) {
  class PlainUser extends BaseModel {
    static table = `${schema}.users`

    @column({ isPrimary: true })
    declare id: number

    @column()
    declare email: string

    @column()
    declare fullName: string

    @column({ serializeAs: null })
    declare password: string | null

    @column()
    declare role: string

    @column()
    declare status: string

    @column.dateTime()
    declare deactivatedAt: DateTime | null

    @column.dateTime({ autoCreate: true })
    declare createdAt: DateTime

    @column.dateTime({ autoCreate: true, autoUpdate: true })
    declare updatedAt: DateTime
  }
  return PlainUser
}
