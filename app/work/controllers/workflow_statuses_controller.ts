import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import ProjectPolicy from '#work/policies/project_policy'
import { createStatusValidator, updateStatusValidator } from '#work/validators/statuses'
import { ProjectAccess } from '#work/services/project_access'
import { ProjectWorkflow } from '#work/services/project_workflow'
import { statusResource } from '#work/resources'

/** A project's workflow: the statuses its tasks go through, in board order. */
export default class WorkflowStatusesController {
  async index({ params, auth }: HttpContext) {
    const { project } = await ProjectAccess.open(auth.getUserOrFail(), params.id)
    const statuses = await ProjectWorkflow.list(project.id)
    return { data: statuses.map(statusResource), meta: { next_cursor: null } }
  }

  async store(ctx: HttpContext) {
    const scope = await ProjectAccess.open(ctx.auth.getUserOrFail(), ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    const input = await ctx.request.validateUsing(createStatusValidator)
    const status = await db.transaction((trx) => ProjectWorkflow.add(trx, scope.project.id, input))
    ctx.response.status(201)
    return { data: statusResource(status) }
  }

  async update(ctx: HttpContext) {
    const scope = await ProjectAccess.open(ctx.auth.getUserOrFail(), ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    const input = await ctx.request.validateUsing(updateStatusValidator)
    const status = await db.transaction((trx) =>
      ProjectWorkflow.update(trx, scope.project.id, ctx.params.statusId, input)
    )
    return { data: statusResource(status) }
  }

  async destroy(ctx: HttpContext) {
    const scope = await ProjectAccess.open(ctx.auth.getUserOrFail(), ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    await db.transaction((trx) =>
      ProjectWorkflow.remove(trx, scope.project.id, ctx.params.statusId)
    )
    return ctx.response.noContent()
  }
}
