import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'
import type { FieldChanges } from '#work/events'

export interface ActivityObject {
  type: 'project' | 'task' | 'comment' | 'member'
  id: number
  [detail: string]: unknown
}

/** One line of a project's activity feed, projected from a domain event. */
export default class ActivityEntry extends TenantModel {
  static table = 'activity_entries'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare eventId: string

  @column()
  declare projectId: number

  @column()
  declare actorId: string | null

  @column()
  declare verb: string

  @column()
  declare object: ActivityObject

  @column()
  declare changes: FieldChanges | null

  @column.dateTime()
  declare occurredAt: DateTime
}
