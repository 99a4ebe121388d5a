import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'
import type { PluginPermission } from '#plugins/plugin_api'

/** Why an installed plugin is off: an admin turned it off, or it kept failing. */
export type DisabledReason = 'admin' | 'failures'

/** A plugin installed in this tenant (one row per plugin). */
export default class PluginInstallation extends TenantModel {
  static table = 'plugin_installations'

  @column({ isPrimary: true })
  declare pluginId: string

  /** The plugin version whose migrations have run here. */
  @column()
  declare version: string

  @column()
  declare enabled: boolean

  @column()
  declare grantedPermissions: PluginPermission[]

  /** Encrypted JSON (PluginSettings). */
  @column({ serializeAs: null })
  declare settings: string

  @column()
  declare installedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare installedAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column()
  declare disabledReason: DisabledReason | null

  @column()
  declare consecutiveFailures: number

  @column()
  declare lastError: string | null

  @column.dateTime()
  declare lastFailureAt: DateTime | null
}
