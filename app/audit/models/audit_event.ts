import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

/**
 * Read side of the audit trail; rows are written only by AuditTrail.
 */
export default class AuditEvent extends TenantModel {
  static table = 'audit_events'

  @column({ isPrimary: true })
  declare seq: number

  @column()
  declare id: string

  @column.dateTime()
  declare occurredAt: DateTime

  @column()
  declare actorType: string

  @column()
  declare actorId: string | null

  @column()
  declare action: string

  @column()
  declare targetType: string | null

  @column()
  declare targetId: string | null

  @column()
  declare ip: string | null

  @column()
  declare userAgent: string | null

  @column()
  declare metadata: Record<string, unknown>

  @column()
  declare prevHash: string

  @column()
  declare hash: string
}
