/*
 * The tenant bench/scim.ts provisions into: created through
 * TenantProvisioner, with two SCIM tokens its owner creates over HTTP
 * (POST /api/v1/scim/tokens), as an admin does for an IdP. Imported after
 * the app has booted.
 */
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { createTenant, ownerTokens, slugFor } from '../provisioning/tenants.js'
import { tenantHost } from '../support/app.js'
import { sendExpecting } from '../work_api/http.js'

export interface ScimTenant {
  bound: BoundTenant
  host: string
  ownerEmail: string
  /** The token the import runs with. */
  importToken: string
  /**
   * The token of the read phases: each token has its own per-minute cap,
   * which must judge the import alone.
   */
  readToken: string
}

/*
 * A token's per-minute counter lives in Redis when REDIS_URL is set, and
 * this database's tenant and token ids are the same on every run: a
 * counter left by a run less than a minute ago would count against this
 * one. The key is the one ScimAuthMiddleware consumes.
 */
function forgetRequestCount(tenantId: number, tokenId: number) {
  return limiter.use({ requests: 1, duration: '1 min' }).delete(`scim:${tenantId}:${tokenId}`)
}

export async function prepareTenant(baseUrl: string): Promise<ScimTenant> {
  const tenant = await createTenant(slugFor(1))
  const { bound } = tenant
  const host = tenantHost(bound.slug)
  const ownerToken = await ownerTokens([tenant], 1).then((tokens) => tokens.get(bound.slug)!)
  const scimToken = async (name: string) => {
    const created = await sendExpecting<{ data: { id: number; token: string } }>(
      201,
      `${baseUrl}/api/v1/scim/tokens`,
      { method: 'POST', host, token: ownerToken, body: { name } }
    )
    await forgetRequestCount(bound.id, created.data.id)
    return created.data.token
  }
  return {
    bound,
    host,
    ownerEmail: tenant.owner.email,
    importToken: await scimToken('bench import'),
    readToken: await scimToken('bench reads'),
  }
}

/** Fresh planner statistics, as autovacuum gathers them after a bulk load. */
export function analyzeUsers(tenant: BoundTenant) {
  return TenantContext.run(tenant, () =>
    db.rawQuery(`ANALYZE ${TenantContext.table('users')}, ${TenantContext.table('scim_users')}`)
  )
}
