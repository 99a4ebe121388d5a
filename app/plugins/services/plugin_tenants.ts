import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { BoundTenant } from '#tenancy/tenant_context'

const CHUNK = 200

function quoted(identifier: string) {
  return `"${identifier.replaceAll('"', '""')}"`
}

async function activeTenants(): Promise<BoundTenant[]> {
  const rows = await db
    .from('central.tenants')
    .where('status', 'active')
    .orderBy('id')
    .select('id', 'slug', 'schema_name')
  return rows.map((row) => ({ id: Number(row.id), slug: row.slug, schema: row.schema_name }))
}

async function enabledIn(tenants: BoundTenant[], pluginId: string): Promise<BoundTenant[]> {
  const union = tenants
    .map(
      (tenant) =>
        `SELECT ${tenant.id}::bigint AS tenant_id FROM ${quoted(tenant.schema)}.plugin_installations
         WHERE plugin_id = :plugin AND enabled`
    )
    .join(' UNION ALL ')
  const { rows } = await db.rawQuery(union, { plugin: pluginId })
  const ids = new Set(rows.map((row: { tenant_id: string }) => Number(row.tenant_id)))
  return tenants.filter((tenant) => ids.has(tenant.id))
}

/**
 * Active tenants with the plugin installed and enabled. Installations
 * live in each tenant's schema, so this reads them in chunks of a few
 * hundred schemas per query; a chunk that fails (a tenant not yet
 * migrated) is read tenant by tenant, skipping the broken one.
 */
export async function tenantsWithPluginEnabled(pluginId: string): Promise<BoundTenant[]> {
  const tenants = await activeTenants()
  const found: BoundTenant[] = []
  for (let start = 0; start < tenants.length; start += CHUNK) {
    const chunk = tenants.slice(start, start + CHUNK)
    try {
      found.push(...(await enabledIn(chunk, pluginId)))
    } catch {
      for (const tenant of chunk) {
        found.push(
          ...(await enabledIn([tenant], pluginId).catch((error) => {
            logger.warn({ err: error, tenant: tenant.slug }, 'cannot read plugin installations')
            return []
          }))
        )
      }
    }
  }
  return found
}

export async function activeTenantById(id: number): Promise<BoundTenant | null> {
  const row = await db
    .from('central.tenants')
    .where({ id, status: 'active' })
    .select('id', 'slug', 'schema_name')
    .first()
  return row ? { id: Number(row.id), slug: row.slug, schema: row.schema_name } : null
}
