/*
 * Bench-only routes for bench/tenant_scoping.ts. Imported from the app's
 * "starting" hook (services such as `router` and `db` exist only once the
 * app has booted), never from start/routes.ts: production never has them.
 *
 * The endpoints with queries all run the same three queries against the
 * same schema and return the same JSON (up to the timestamp format), so
 * their differences are the costs of tenant scoping and of the ORM.
 */
import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import User from '#identity/models/user'
import { middleware } from '#start/kernel'
import { TenantContext } from '#tenancy/tenant_context'
import { plainUserModel } from './plain_user.js'
import { ENDPOINTS } from './endpoints.js'

export interface ScopingRoutesOptions {
  /** Schema the hard-wired SQL reads, e.g. tenant_bench. */
  schema: string
  /** Users in that schema (ids 1..users): the fetched id cycles over them. */
  users: number
}

type Row = Record<string, unknown>

/** Same shape as a serialized User: no password, camelCase keys. */
function memberJson(row: Row) {
  return {
    id: Number(row.id),
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    status: row.status,
    deactivatedAt: row.deactivated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** The three queries as plain SQL on a schema-qualified table. */
async function rawQueries(table: string, userId: number) {
  const count = await db.rawQuery(`SELECT count(*) AS total FROM ${table}`)
  const user = await db.rawQuery(`SELECT * FROM ${table} WHERE id = ? LIMIT 1`, [userId])
  const page = await db.rawQuery(`SELECT * FROM ${table} ORDER BY id LIMIT 10`)
  return {
    total: Number(count.rows[0].total),
    user: user.rows[0] ? memberJson(user.rows[0]) : null,
    page: page.rows.map(memberJson),
  }
}

export function registerScopingRoutes({ schema, users }: ScopingRoutesOptions) {
  let calls = 0
  const nextUserId = () => (calls++ % users) + 1

  // (a) Tenant route as the app writes them: tenant middleware (host
  // lookup, cached; AsyncLocalStorage binding) and tenant Lucid models
  // (table resolved per query, rows hydrated into models).
  router
    .get(ENDPOINTS.a.path, async () => {
      const [count] = await User.query().count('* as total')
      const user = await User.find(nextUserId())
      const page = await User.query().orderBy('id').limit(10)
      return { total: Number(count.$extras.total), user, page }
    })
    .use(middleware.tenant())

  // (b) Baseline: no tenant middleware, hard-wired schema-qualified SQL.
  router.get(ENDPOINTS.b.path, () => rawQueries(`${schema}.users`, nextUserId()))

  // Diagnostics, splitting the gap between (a) and (b).
  // (c) Tenant middleware, plain SQL on the bound tenant's table:
  // tenant scoping without the ORM.
  router
    .get(ENDPOINTS.c.path, () => rawQueries(TenantContext.table('users'), nextUserId()))
    .use(middleware.tenant())

  // (d) An ordinary Lucid model on the same table, no tenant middleware:
  // the ORM without tenant scoping.
  const PlainUser = plainUserModel(schema)
  router.get(ENDPOINTS.d.path, async () => {
    const [count] = await PlainUser.query().count('* as total')
    const user = await PlainUser.find(nextUserId())
    const page = await PlainUser.query().orderBy('id').limit(10)
    return { total: Number(count.$extras.total), user, page }
  })

  // (e), (f) No query at all, without and with the tenant middleware:
  // the middleware's own cost, free of database noise.
  router.get(ENDPOINTS.e.path, () => ({ tenant: 'bench' }))
  router
    .get(ENDPOINTS.f.path, () => ({ tenant: TenantContext.currentOrFail().slug }))
    .use(middleware.tenant())
}
