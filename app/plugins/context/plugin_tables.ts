import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import type { PluginSchema, PluginTables } from '#plugins/plugin_api'

const TABLE_NAME = /^[a-z][a-z0-9_]*$/

/** `<tenant schema>.<plugin id>_<name>`: the only tables a plugin reaches. */
export function pluginTableName(pluginId: string, name: string) {
  if (!TABLE_NAME.test(name) || pluginId.length + 1 + name.length > 63) {
    throw new Error(`"${name}" is not a valid table name for plugin "${pluginId}"`)
  }
  return `${pluginId}_${name}`
}

/** The plugin's own tables in the bound tenant, on `client` (a transaction, or the pool). */
export function pluginTables(
  pluginId: string,
  client: QueryClientContract = db.connection()
): PluginTables {
  const schema = TenantContext.currentOrFail().schema
  return {
    table(name) {
      return client.knexQuery().from(`${schema}.${pluginTableName(pluginId, name)}`)
    },
    transaction(work) {
      if (client.isTransaction) {
        return work(this)
      }
      return db.transaction((trx) => work(pluginTables(pluginId, trx)))
    },
  }
}

/**
 * The schema builder a plugin migration gets: it creates, alters and
 * drops only the plugin's own tables, and records what it created so
 * that an uninstall with purge drops exactly those.
 */
export function pluginSchema(pluginId: string, trx: TransactionClientContract): PluginSchema {
  const schema = TenantContext.currentOrFail().schema
  const builder = () => trx.schema.withSchema(schema)
  const owned = TenantContext.table('plugin_tables')
  return {
    async createTable(name, build) {
      const table = pluginTableName(pluginId, name)
      await builder().createTable(table, build)
      await trx.insertQuery().table(owned).insert({ plugin_id: pluginId, table_name: table })
    },
    async alterTable(name, build) {
      await builder().alterTable(pluginTableName(pluginId, name), build)
    },
    async dropTable(name) {
      const table = pluginTableName(pluginId, name)
      await builder().dropTable(table)
      await trx.from(owned).where({ plugin_id: pluginId, table_name: table }).delete()
    },
    tableName(name) {
      return `${schema}.${pluginTableName(pluginId, name)}`
    },
  }
}
