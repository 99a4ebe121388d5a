import { TenantContext } from '#tenancy/tenant_context'
import { URN } from '#scim/schemas/urns'
import type { FilterSchema } from '#scim/filters/filter_schema'

/** How each Group attribute is read in SQL, over `scim_groups g`. */
export function groupFilterSchema(): FilterSchema {
  const memberships = TenantContext.table('scim_group_members')
  const users = TenantContext.table('users')
  return {
    coreSchema: URN.group,
    attributes: {
      'id': { kind: 'scalar', type: 'string', caseExact: true, sql: 'g.id::text' },
      'externalId': { kind: 'scalar', type: 'string', caseExact: true, sql: 'g.external_id' },
      'displayName': { kind: 'scalar', type: 'string', caseExact: false, sql: 'g.display_name' },
      'meta.created': { kind: 'scalar', type: 'dateTime', caseExact: false, sql: 'g.created_at' },
      'meta.lastModified': {
        kind: 'scalar',
        type: 'dateTime',
        caseExact: false,
        sql: 'g.updated_at',
      },
      'members': {
        kind: 'multi',
        from: (alias) => `${memberships} AS ${alias}`,
        where: (alias) => `${alias}.group_id = g.id`,
        subAttributes: {
          value: { type: 'string', caseExact: true, sql: (alias) => `${alias}.user_id::text` },
          display: {
            type: 'string',
            caseExact: false,
            sql: (alias) => `(SELECT mu.full_name FROM ${users} mu WHERE mu.id = ${alias}.user_id)`,
          },
          type: { type: 'string', caseExact: false, sql: () => `'User'` },
        },
        defaultSubAttribute: 'value',
      },
    },
  }
}
