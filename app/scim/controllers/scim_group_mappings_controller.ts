import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ScimPolicy from '#scim/policies/scim_policy'
import { ScimGroupMappings, type MappedGroupRow } from '#scim/services/scim_group_mappings'
import { groupMappingValidator, listScimGroupsValidator } from '#scim/validators/scim_requests'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'

function mappedGroupResource(row: MappedGroupRow) {
  return {
    id: row.id,
    display_name: row.display_name,
    external_id: row.external_id,
    member_count: row.member_count,
    mapping: { role: row.mapped_role, projects: row.mapped_projects },
  }
}

/** `/api/v1/scim/groups`: the groups the IdP provisioned, and what admins map them to. */
@inject()
export default class ScimGroupMappingsController {
  constructor(protected mappings: ScimGroupMappings) {}

  async index({ request, bouncer }: HttpContext) {
    await bouncer.with(ScimPolicy).authorize('manage')
    const page = await request.validateUsing(listScimGroupsValidator, { data: request.qs() })
    const result = await paginateByKey<MappedGroupRow>(ScimGroupMappings.listing(), page, {
      columns: ['g.seq'],
      direction: 'asc',
      of: (row) => [Number(row.seq)],
    })
    return { data: result.items.map(mappedGroupResource), meta: { next_cursor: result.nextCursor } }
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(ScimPolicy).authorize('manage')
    const mapping = await ctx.request.validateUsing(groupMappingValidator)
    const row = await this.mappings.set(
      ctx.auth.getUserOrFail(),
      ctx.params.groupId,
      mapping,
      requestOrigin(ctx)
    )
    return { data: mappedGroupResource(row) }
  }
}
