import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import ProjectPolicy from '#work/policies/project_policy'
import {
  createTaskValidator,
  listMyTasksValidator,
  listTasksValidator,
  moveTaskValidator,
  setTaskStatusValidator,
  updateTaskValidator,
} from '#work/validators/tasks'
import { ProjectAccess } from '#work/services/project_access'
import { TaskChanges } from '#work/services/task_changes'
import { TaskPlacement } from '#work/services/task_placement'
import { TaskSearch } from '#work/services/task_search'
import { taskResource, taskResources } from '#work/resources'
import { expectedVersion, tagVersion } from '#work/task_version'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'
import type Task from '#work/models/task'
import type Project from '#work/models/project'

@inject()
export default class TasksController {
  constructor(
    protected changes: TaskChanges,
    protected placement: TaskPlacement
  ) {}

  /** A project's board, in board order. */
  async index({ request, params, auth }: HttpContext) {
    const user = auth.getUserOrFail()
    const { project } = await ProjectAccess.open(user, params.id)
    const filters = await request.validateUsing(listTasksValidator, { data: request.qs() })
    const page = await paginateByKey(TaskSearch.inProject(project.id, user, filters), filters, {
      columns: ['position', 'id'],
      direction: 'asc',
      of: (task) => [task.position, task.id],
    })
    return {
      data: await taskResources(page.items, [project]),
      meta: { next_cursor: page.nextCursor },
    }
  }

  /** Tasks assigned to the caller across the projects they can see. */
  async mine({ request, auth }: HttpContext) {
    const filters = await request.validateUsing(listMyTasksValidator, { data: request.qs() })
    const page = await paginateByKey(
      TaskSearch.assignedTo(auth.getUserOrFail(), filters),
      filters,
      {
        columns: ['id'],
        direction: 'asc',
        of: (task) => [task.id],
      }
    )
    return { data: await taskResources(page.items), meta: { next_cursor: page.nextCursor } }
  }

  async store(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const scope = await ProjectAccess.open(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('contribute', scope)
    const input = await ctx.request.validateUsing(createTaskValidator)
    const task = await this.changes.create(user, scope.project.id, input)
    ctx.response.status(201)
    return this.#respond(ctx, task, scope.project)
  }

  async show(ctx: HttpContext) {
    const { task, scope } = await ProjectAccess.openTask(ctx.auth.getUserOrFail(), ctx.params.id)
    return this.#respond(ctx, task, scope.project)
  }

  async update(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { task, scope } = await ProjectAccess.openTask(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('contribute', scope)
    const { version, ...input } = await ctx.request.validateUsing(updateTaskValidator)
    const updated = await this.changes.update(
      user,
      task.id,
      input,
      expectedVersion(ctx.request, version)
    )
    return this.#respond(ctx, updated, scope.project)
  }

  /** `PUT /tasks/:id/status` with `{ "status": "In Progress" }`. */
  async status(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { task, scope } = await ProjectAccess.openTask(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('contribute', scope)
    const { status, version } = await ctx.request.validateUsing(setTaskStatusValidator)
    const updated = await this.changes.update(
      user,
      task.id,
      { status },
      expectedVersion(ctx.request, version)
    )
    return this.#respond(ctx, updated, scope.project)
  }

  async move(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { task, scope } = await ProjectAccess.openTask(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('contribute', scope)
    const { version, ...input } = await ctx.request.validateUsing(moveTaskValidator)
    if (input.project_id !== undefined && input.project_id !== task.projectId) {
      const target = await ProjectAccess.openReference(user, input.project_id, 'project_id')
      await ctx.bouncer.with(ProjectPolicy).authorize('contribute', target)
    }
    const moved = await this.placement.move(
      user,
      task.id,
      input,
      expectedVersion(ctx.request, version)
    )
    // Moved to another project, the task gets that project's key (read again).
    return this.#respond(ctx, moved, scope.project)
  }

  async destroy(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { task, scope } = await ProjectAccess.openTask(user, ctx.params.id)
    await ctx.bouncer.with(ProjectPolicy).authorize('deleteTask', scope, task)
    await this.changes.delete(user, task.id, expectedVersion(ctx.request), requestOrigin(ctx))
    return ctx.response.noContent()
  }

  async #respond({ response }: HttpContext, task: Task, project: Project) {
    tagVersion(response, task.version)
    return { data: await taskResource(task, [project]) }
  }
}
