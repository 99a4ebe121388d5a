import db from '@adonisjs/lucid/services/db'
import type User from '#identity/models/user'
import Task from '#work/models/task'
import type { StatusCategory } from '#work/models/workflow_status'
import { TenantContext } from '#tenancy/tenant_context'

export interface TaskFilters {
  status?: string
  status_category?: StatusCategory
  assignee?: number | 'me'
  label?: string
  due_before?: string
  due_after?: string
  q?: string
  parent_id?: number
}

/** `%` and `_` typed by a user are searched for, not wildcards. */
function likePattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}

/**
 * Task queries behind the lists: a project's board and a member's own
 * tasks. Due dates filter inclusively.
 */
export class TaskSearch {
  static inProject(projectId: number, user: User, filters: TaskFilters) {
    const query = Task.query().where('project_id', projectId)
    this.#filter(query, user, filters)
    return query
  }

  /** Tasks assigned to the user, in projects they can still see. */
  static assignedTo(user: User, filters: TaskFilters) {
    const query = Task.query().whereIn(
      'id',
      db.from(TenantContext.table('task_assignees')).where('user_id', user.id).select('task_id')
    )
    if (user.role === 'guest') {
      query.whereIn(
        'project_id',
        db
          .from(TenantContext.table('project_members'))
          .where('user_id', user.id)
          .select('project_id')
      )
    }
    this.#filter(query, user, filters)
    return query
  }

  static #filter(query: ReturnType<typeof Task.query>, user: User, filters: TaskFilters) {
    const statuses = () => db.from(TenantContext.table('workflow_statuses')).select('id')
    if (filters.status) {
      query.whereIn('status_id', statuses().whereRaw('lower(name) = lower(?)', [filters.status]))
    }
    if (filters.status_category) {
      query.whereIn('status_id', statuses().where('category', filters.status_category))
    }
    if (filters.assignee !== undefined) {
      const assignee = filters.assignee === 'me' ? user.id : filters.assignee
      query.whereIn(
        'id',
        db.from(TenantContext.table('task_assignees')).where('user_id', assignee).select('task_id')
      )
    }
    if (filters.label) {
      query.whereRaw('labels @> ARRAY[?]::text[]', [filters.label])
    }
    if (filters.due_before) {
      query.where('due_date', '<=', filters.due_before)
    }
    if (filters.due_after) {
      query.where('due_date', '>=', filters.due_after)
    }
    if (filters.q) {
      query.whereILike('title', likePattern(filters.q))
    }
    if (filters.parent_id) {
      query.where('parent_id', filters.parent_id)
    }
  }
}
