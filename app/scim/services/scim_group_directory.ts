import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import { groupFilterSchema } from '#scim/services/group_filter_schema'
import { scimPage, type ListQuery } from '#scim/services/scim_page'
import type { ScimGroupRow } from '#scim/resources/group_resource'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a path id can name a group at all (anything else is simply not found). */
export function isGroupId(id: string) {
  return UUID.test(id)
}

function selectGroups(options: { withMembers: boolean }) {
  const members = options.withMembers
    ? `(SELECT coalesce(jsonb_agg(jsonb_build_object('value', mu.id::text, 'display', mu.full_name)
          ORDER BY mu.id), '[]'::jsonb)
        FROM ${TenantContext.table('scim_group_members')} m
        JOIN ${TenantContext.table('users')} mu ON mu.id = m.user_id
        WHERE m.group_id = g.id)`
    : 'NULL::jsonb'
  return `SELECT g.id::text AS id, g.display_name, g.external_id, g.created_at, g.updated_at,
            ${members} AS members
          FROM ${TenantContext.table('scim_groups')} g WHERE`
}

/** Reads SCIM groups: by id, or a filtered, sorted page. */
export class ScimGroupDirectory {
  static async find(
    id: string,
    options: { withMembers: boolean; trx?: TransactionClientContract }
  ) {
    if (!isGroupId(id)) {
      return null
    }
    const result = await (options.trx ?? db).rawQuery(`${selectGroups(options)} g.id = ?`, [id])
    return (result.rows[0] as ScimGroupRow | undefined) ?? null
  }

  static list(query: ListQuery, options: { withMembers: boolean }) {
    return scimPage<ScimGroupRow>(
      {
        select: selectGroups(options),
        count: `SELECT count(*)::int AS total FROM ${TenantContext.table('scim_groups')} g WHERE`,
        key: 'g.id',
        schema: groupFilterSchema(),
      },
      query
    )
  }
}
