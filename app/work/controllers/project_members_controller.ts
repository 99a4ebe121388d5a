import { adminActor } from '#identity/member_change_actor'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import ProjectPolicy from '#work/policies/project_policy'
import { addProjectMemberValidator, listProjectMembersValidator } from '#work/validators/projects'
import { ProjectAccess } from '#work/services/project_access'
import { ProjectMemberships } from '#work/services/project_memberships'
import { projectMemberResource } from '#work/resources'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'

export default class ProjectMembersController {
  async index({ request, params, auth }: HttpContext) {
    const { project } = await ProjectAccess.open(auth.getUserOrFail(), params.id)
    const filters = await request.validateUsing(listProjectMembersValidator, { data: request.qs() })
    const page = await paginateByKey(ProjectMemberships.listing(project.id), filters, {
      columns: ['pm.user_id'],
      direction: 'asc',
      of: (row) => [row.user_id],
    })
    return { data: page.items.map(projectMemberResource), meta: { next_cursor: page.nextCursor } }
  }

  /** 201 when added, 200 when an existing member's role changed. */
  async store(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const scope = await ProjectAccess.open(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    const input = await ctx.request.validateUsing(addProjectMemberValidator)
    const outcome = await db.transaction((trx) =>
      ProjectMemberships.set(
        trx,
        scope.project,
        { userId: input.user_id, role: input.role },
        adminActor(user),
        requestOrigin(ctx)
      )
    )
    const row = await ProjectMemberships.listing(scope.project.id)
      .where('pm.user_id', input.user_id)
      .firstOrFail()
    ctx.response.status(outcome === 'added' ? 201 : 200)
    return { data: projectMemberResource(row) }
  }

  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const scope = await ProjectAccess.open(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    await db.transaction((trx) =>
      ProjectMemberships.remove(
        trx,
        scope.project,
        ctx.params.userId,
        adminActor(user),
        requestOrigin(ctx)
      )
    )
    return ctx.response.noContent()
  }
}
