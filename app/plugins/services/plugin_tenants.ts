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
  return rows.map(bound)
}

function bound(row: { id: string | number; slug: string; schema_name: string }): BoundTenant {
  return { id: Number(row.id), slug: row.slug, schema: row.schema_name }
}

export interface TenantInstallation {
  tenant: BoundTenant
  version: string
  enabled: boolean
}

async function installedIn(tenants: BoundTenant[], pluginId: string) {
  const union = tenants
    .map(
      (tenant) =>
        `SELECT ${tenant.id}::bigint AS tenant_id, version, enabled
         FROM ${quoted(tenant.schema)}.plugin_installations WHERE plugin_id = :plugin`
    )
    .join(' UNION ALL ')
  const { rows } = await db.rawQuery(union, { plugin: pluginId })
  const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]))
  return rows.map(
    (row: { tenant_id: string; version: string; enabled: boolean }): TenantInstallation => ({
      tenant: byId.get(Number(row.tenant_id))!,
      version: row.version,
      enabled: row.enabled,
    })
  )
}

/**
 * The plugin's installations in every active tenant. Installations live
 * in each tenant's schema, so this reads them in chunks of a few hundred
 * schemas per query; a chunk that fails (a tenant not yet migrated) is
 * read tenant by tenant, skipping the broken one.
 */
export async function installationsAcrossTenants(pluginId: string) {
  const tenants = await activeTenants()
  const found: TenantInstallation[] = []
  for (let start = 0; start < tenants.length; start += CHUNK) {
    const chunk = tenants.slice(start, start + CHUNK)
    try {
      found.push(...(await installedIn(chunk, pluginId)))
    } catch {
      for (const tenant of chunk) {
        found.push(
          ...(await installedIn([tenant], pluginId).catch((error) => {
            logger.warn({ err: error, tenant: tenant.slug }, 'cannot read plugin installations')
            return []
          }))
        )
      }
    }
  }
  return found
}

/** Active tenants where the plugin is installed and enabled. */
export async function tenantsWithPluginEnabled(pluginId: string): Promise<BoundTenant[]> {
  const installations = await installationsAcrossTenants(pluginId)
  return installations.filter((item) => item.enabled).map((item) => item.tenant)
}

/** An active tenant by slug or id, bound-ready; null when missing or not active. */
export async function activeTenant(where: { slug: string } | { id: number }) {
  const row = await db
    .from('central.tenants')
    .where({ ...where, status: 'active' })
    .select('id', 'slug', 'schema_name')
    .first()
  return row ? bound(row) : null
}
