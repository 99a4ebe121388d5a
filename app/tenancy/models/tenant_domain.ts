import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * A custom domain a tenant is served on besides <slug>.<APP_DOMAIN>.
 * Only verified domains route requests.
 */
export default class TenantDomain extends BaseModel {
  static table = 'central.tenant_domains'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantId: number

  @column()
  declare domain: string

  @column.dateTime()
  declare verifiedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
