import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

export type ProjectStatus = 'active' | 'archived'

export default class Project extends TenantModel {
  static table = 'projects'

  @column({ isPrimary: true })
  declare id: number

  /** Prefix of its task keys: `WEB` → `WEB-42`. */
  @column()
  declare key: string

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare status: ProjectStatus

  /** 'YYYY-MM-DD' */
  @column()
  declare startDate: string | null

  /** 'YYYY-MM-DD' */
  @column()
  declare endDate: string | null

  @column()
  declare leadId: number | null

  @column()
  declare lastTaskNumber: number

  @column()
  declare createdById: number | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
