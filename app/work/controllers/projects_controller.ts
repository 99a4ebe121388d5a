import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ProjectPolicy from '#work/policies/project_policy'
import {
  createProjectValidator,
  listProjectsValidator,
  updateProjectValidator,
} from '#work/validators/projects'
import { ProjectAccess } from '#work/services/project_access'
import { ProjectAdministration } from '#work/services/project_administration'
import { projectResource } from '#work/resources'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'

@inject()
export default class ProjectsController {
  constructor(protected administration: ProjectAdministration) {}

  async index({ request, auth }: HttpContext) {
    const filters = await request.validateUsing(listProjectsValidator, { data: request.qs() })
    const query = ProjectAccess.visibleTo(auth.getUserOrFail())
    if (filters.status) {
      query.where('status', filters.status)
    }
    const page = await paginateByKey(query, filters, {
      columns: ['id'],
      direction: 'asc',
      of: (project) => [project.id],
    })
    return { data: page.items.map(projectResource), meta: { next_cursor: page.nextCursor } }
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ProjectPolicy).authorize('create')
    const input = await ctx.request.validateUsing(createProjectValidator)
    const project = await this.administration.create(
      ctx.auth.getUserOrFail(),
      input,
      requestOrigin(ctx)
    )
    ctx.response.status(201)
    return { data: projectResource(project) }
  }

  async show({ params, auth }: HttpContext) {
    const { project } = await ProjectAccess.open(auth.getUserOrFail(), params.id)
    return { data: projectResource(project) }
  }

  async update(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const scope = await ProjectAccess.open(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    const input = await ctx.request.validateUsing(updateProjectValidator)
    const project = await this.administration.update(
      user,
      scope.project.id,
      input,
      requestOrigin(ctx)
    )
    return { data: projectResource(project) }
  }

  /** 204 when deleted; 200 with the archived project when it had tasks. */
  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const scope = await ProjectAccess.open(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('manage', scope)
    const { outcome, project } = await this.administration.remove(
      user,
      scope.project.id,
      requestOrigin(ctx)
    )
    if (outcome === 'deleted') {
      return ctx.response.noContent()
    }
    return { data: projectResource(project) }
  }
}
