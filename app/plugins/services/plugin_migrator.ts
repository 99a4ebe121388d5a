import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import type { AnyPluginDefinition } from '#plugins/plugin_api'
import { pluginSchema } from '#plugins/context/plugin_tables'

/**
 * Runs a plugin's migrations in the bound tenant's schema, inside the
 * caller's transaction (PostgreSQL DDL is transactional: an install or
 * upgrade that fails leaves no table behind). The ledger is
 * plugin_migrations; migrations run in name order, each once.
 */
export const PluginMigrator = {
  async pending(trx: TransactionClientContract, plugin: AnyPluginDefinition) {
    const applied = await trx
      .from(TenantContext.table('plugin_migrations'))
      .where('plugin_id', plugin.id)
      .select('name')
    const done = new Set(applied.map((row) => row.name as string))
    return [...(plugin.migrations ?? [])]
      .filter((migration) => !done.has(migration.name))
      .sort((a, b) => a.name.localeCompare(b.name))
  },

  async run(trx: TransactionClientContract, plugin: AnyPluginDefinition) {
    const pending = await this.pending(trx, plugin)
    const schema = pluginSchema(plugin.id, trx)
    for (const migration of pending) {
      await migration.up(schema)
      await trx
        .insertQuery()
        .table(TenantContext.table('plugin_migrations'))
        .insert({ plugin_id: plugin.id, name: migration.name })
    }
    return pending.map((migration) => migration.name)
  },

  /** Drops every table the plugin created here and forgets its migrations. */
  async purge(trx: TransactionClientContract, plugin: AnyPluginDefinition) {
    const owned = TenantContext.table('plugin_tables')
    const tables = await trx.from(owned).where('plugin_id', plugin.id).select('table_name')
    const schema = TenantContext.currentOrFail().schema
    for (const { table_name: table } of tables) {
      // CASCADE: the plugin's tables may reference each other.
      await trx.rawQuery('DROP TABLE IF EXISTS ?? CASCADE', [`${schema}.${table}`])
    }
    await trx.from(owned).where('plugin_id', plugin.id).delete()
    await trx.from(TenantContext.table('plugin_migrations')).where('plugin_id', plugin.id).delete()
  },
}
