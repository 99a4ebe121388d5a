import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import Project from '#work/models/project'
import Task from '#work/models/task'
import Comment from '#work/models/comment'
import type { ProjectRole } from '#work/models/project_role'
import { TenantContext } from '#tenancy/tenant_context'
import { InvalidReferenceException, WorkNotFoundException } from '#work/exceptions'

/**
 * What a member may do in one project: workspace admins and owners act as
 * `admin` everywhere; others have their project role, and full members
 * who were not added read as `viewer`. Guests see only projects they were
 * added to.
 */
export type ProjectAccessRole = 'admin' | ProjectRole

export interface ProjectScope {
  project: Project
  role: ProjectAccessRole
}

export class ProjectAccess {
  static async roleIn(
    user: User,
    projectId: number,
    client: QueryClientContract = db.connection()
  ): Promise<ProjectAccessRole | null> {
    if (!user.isActive) {
      return null
    }
    if (user.isAdmin) {
      return 'admin'
    }
    const membership = await client
      .from(TenantContext.table('project_members'))
      .where({ project_id: projectId, user_id: user.id })
      .select('role')
      .first()
    if (membership) {
      return membership.role
    }
    return user.role === 'guest' ? null : 'viewer'
  }

  /**
   * The project and the caller's role in it; 404 when it does not exist
   * or the caller may not see it.
   */
  static open(user: User, projectId: number): Promise<ProjectScope> {
    return this.#openAs(user, projectId, 'project')
  }

  /**
   * A project named in a request body: missing or invisible, it is a bad
   * input (422 on that field), not a missing resource of the URL.
   */
  static async openReference(user: User, projectId: number, field: string) {
    try {
      return await this.open(user, projectId)
    } catch (error) {
      if (error instanceof WorkNotFoundException) {
        throw new InvalidReferenceException(field, 'No such project')
      }
      throw error
    }
  }

  /** A task and the caller's scope in its project; 404 when either is out of reach. */
  static async openTask(user: User, taskId: number) {
    const task = await Task.find(taskId)
    if (!task) {
      throw new WorkNotFoundException('task')
    }
    const scope = await this.#openAs(user, task.projectId, 'task')
    return { task, scope }
  }

  /** A live comment, its task and the caller's scope in the project. */
  static async openComment(user: User, commentId: number) {
    const comment = await Comment.query().where('id', commentId).whereNull('deleted_at').first()
    if (!comment) {
      throw new WorkNotFoundException('comment')
    }
    const { task, scope } = await this.openTask(user, comment.taskId)
    return { comment, task, scope }
  }

  static async #openAs(user: User, projectId: number, what: 'project' | 'task') {
    const [project, role] = await Promise.all([
      Project.find(projectId),
      this.roleIn(user, projectId),
    ])
    if (!project || !role) {
      throw new WorkNotFoundException(what)
    }
    return { project, role }
  }

  /** Restricts a project query to those the user may see. */
  static visibleTo(user: User) {
    const query = Project.query()
    if (user.role === 'guest') {
      query.whereIn(
        'id',
        db
          .from(TenantContext.table('project_members'))
          .where('user_id', user.id)
          .select('project_id')
      )
    }
    return query
  }
}
