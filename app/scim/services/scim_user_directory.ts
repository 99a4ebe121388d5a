import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import { userFilterSchema } from '#scim/services/user_filter_schema'
import { scimPage, type ListQuery } from '#scim/services/scim_page'
import type { ScimUserRow } from '#scim/resources/user_resource'

function usersFrom() {
  return `${TenantContext.table('users')} u
          LEFT JOIN ${TenantContext.table('scim_users')} s ON s.user_id = u.id
          WHERE s.deleted_at IS NULL AND`
}

function selectUsers(options: { withGroups: boolean }) {
  const groups = options.withGroups
    ? `(SELECT coalesce(jsonb_agg(jsonb_build_object('value', g.id::text, 'display', g.display_name)
          ORDER BY lower(g.display_name)), '[]'::jsonb)
        FROM ${TenantContext.table('scim_group_members')} m
        JOIN ${TenantContext.table('scim_groups')} g ON g.id = m.group_id
        WHERE m.user_id = u.id)`
    : 'NULL::jsonb'
  return `SELECT u.id::text AS id, u.email, u.full_name, u.status, u.created_at,
            greatest(u.updated_at, s.updated_at) AS last_modified,
            s.user_name, s.external_id, s.attributes, ${groups} AS groups
          FROM ${usersFrom()}`
}

/**
 * Reads members as SCIM users: by id, or a filtered, sorted page.
 * Members whose SCIM resource was deleted are not found.
 */
export class ScimUserDirectory {
  static async find(id: string, trx?: TransactionClientContract) {
    if (!/^\d{1,18}$/.test(id)) {
      return null
    }
    const result = await (trx ?? db).rawQuery(`${selectUsers({ withGroups: true })} u.id = ?`, [id])
    return (result.rows[0] as ScimUserRow | undefined) ?? null
  }

  static list(query: ListQuery, options: { withGroups: boolean }) {
    return scimPage<ScimUserRow>(
      {
        select: selectUsers(options),
        count: `SELECT count(*)::int AS total FROM ${usersFrom()}`,
        key: 'u.id',
        schema: userFilterSchema(),
      },
      query
    )
  }
}
