import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import TenantDomain from '#tenancy/models/tenant_domain'

export type TenantStatus = 'provisioning' | 'active' | 'suspended' | 'archived'

export default class Tenant extends BaseModel {
  static table = 'central.tenants'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare slug: string

  @column()
  declare name: string

  @column()
  declare schemaName: string

  @column()
  declare status: TenantStatus

  @column()
  declare region: string

  @column()
  declare plan: string

  @column()
  declare settings: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => TenantDomain)
  declare domains: HasMany<typeof TenantDomain>
}
