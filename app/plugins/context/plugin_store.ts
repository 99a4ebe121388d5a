import db from '@adonisjs/lucid/services/db'
import { TenantContext } from '#tenancy/tenant_context'
import type { PluginKeyValueStore } from '#plugins/plugin_api'

const MAX_KEY = 200

function checkKey(key: string) {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY) {
    throw new Error(`Store keys are 1 to ${MAX_KEY} characters`)
  }
}

/**
 * A plugin's key-value store in the bound tenant: rows of plugin_store
 * under its id. Expired keys read as missing and are overwritten by the
 * next `set`; a purge removes the rest.
 */
export function pluginStore(pluginId: string): PluginKeyValueStore {
  const table = () => TenantContext.table('plugin_store')
  const live = () =>
    db
      .from(table())
      .where('plugin_id', pluginId)
      .where((query) => query.whereNull('expires_at').orWhere('expires_at', '>', db.raw('now()')))

  return {
    async get<Value>(key: string) {
      checkKey(key)
      const row = await live().where('key', key).select('value').first()
      return row ? (row.value as Value) : null
    },

    async set(key, value, options = {}) {
      checkKey(key)
      const ttl = options.ttlSeconds
      await db.rawQuery(
        `INSERT INTO ${table()} (plugin_id, key, value, expires_at)
         VALUES (?, ?, ?::jsonb, CASE WHEN ?::int IS NULL THEN NULL ELSE now() + make_interval(secs => ?::int) END)
         ON CONFLICT (plugin_id, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [pluginId, key, JSON.stringify(value ?? null), ttl ?? null, ttl ?? null]
      )
    },

    async delete(key) {
      checkKey(key)
      await db.from(table()).where({ plugin_id: pluginId, key }).delete()
    },

    async keys(prefix = '') {
      const rows = await live()
        .whereLike('key', `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`)
        .orderBy('key')
        .select('key')
      return rows.map((row) => row.key as string)
    },
  }
}
