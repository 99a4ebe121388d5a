import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

export type TaskPriority = 'low' | 'medium' | 'high' | 'urgent'

export default class Task extends TenantModel {
  static table = 'tasks'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare projectId: number

  /** Unique within its project, never reused. */
  @column()
  declare number: number

  @column()
  declare title: string

  @column()
  declare description: string | null

  @column()
  declare statusId: number

  @column()
  declare priority: TaskPriority

  /** 'YYYY-MM-DD' */
  @column()
  declare dueDate: string | null

  @column()
  declare labels: string[]

  @column()
  declare parentId: number | null

  @column()
  declare position: number

  /** Bumped by every change: what `If-Match` is compared with. */
  @column()
  declare version: number

  @column()
  declare createdById: number | null

  @column.dateTime()
  declare completedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
