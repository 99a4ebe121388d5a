import db from '@adonisjs/lucid/services/db'
import User from '#identity/models/user'
import { memberResource } from '#identity/member_resource'
import Project from '#work/models/project'
import Task from '#work/models/task'
import Comment from '#work/models/comment'
import ActivityEntry from '#work/models/activity_entry'
import WorkflowStatus from '#work/models/workflow_status'
import ProjectPolicy from '#work/policies/project_policy'
import { ProjectAccess } from '#work/services/project_access'
import { VersionConflictException } from '#work/exceptions'
import { TaskChanges, type TaskInput } from '#work/services/task_changes'
import {
  activityEntryResource,
  commentResource,
  projectResource,
  taskResources,
} from '#work/resources'
import { ChannelAccess } from '#messaging/services/channel_access'
import { channelResource, messageResource } from '#messaging/resources'
import { tables } from '#messaging/tables'
import { TenantContext } from '#tenancy/tenant_context'
import type { MemberAdministration } from '#identity/services/member_administration'
import { PluginMemberWrites } from '#plugins/context/plugin_member_writes'
import { issueSession } from '#plugins/context/plugin_sessions'
import {
  PluginError,
  type MemberChange,
  type MemberProvision,
  type SignInContext,
  type Page,
  type PluginCoreApi,
  type PluginPermission,
  type TaskChange,
  type TaskQuery,
} from '#plugins/plugin_api'
import { PluginPermissionDeniedException } from '#plugins/exceptions'

const MAX_PAGE = 200
const MAX_MESSAGES = 1000

/** Someone `as()` named who cannot read anything: missing or deactivated. */
const NOBODY = Symbol('nobody')
type Viewer = User | typeof NOBODY | null

const projectPolicy = new ProjectPolicy()

function pageOf<Item extends { id: number }>(items: Item[], limit: number): Page<Item> {
  const more = items.length > limit
  const shown = more ? items.slice(0, limit) : items
  return { items: shown, next_cursor: more ? String(shown[shown.length - 1].id) : null }
}

function pageSize(limit: number | undefined) {
  return Math.min(Math.max(1, limit ?? 50), MAX_PAGE)
}

function afterCursor(cursor: string | null | undefined) {
  const id = Number(cursor ?? 0)
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new PluginError('E_INVALID_CURSOR', 'The cursor is not one this API returned', 422)
  }
  return id
}

/** Whether a lookup failed because the thing is missing or invisible (both 404 in core). */
function isNotFound(error: unknown) {
  return (error as { status?: number })?.status === 404
}

/**
 * Core data for one plugin in the bound tenant, through the permissions
 * its admin granted. Without a viewer it reads as the plugin (the whole
 * workspace, within its permissions); `as(memberId)` adds that member's
 * own visibility rules, the same the REST API applies to them.
 */
export class ScopedCoreApi implements PluginCoreApi {
  #viewer?: Promise<Viewer>

  #writes: PluginMemberWrites

  constructor(
    protected pluginId: string,
    protected permissions: ReadonlySet<PluginPermission>,
    protected administration: MemberAdministration,
    protected viewerId: number | null = null
  ) {
    this.#writes = new PluginMemberWrites(pluginId, administration)
  }

  as(memberId: number): PluginCoreApi {
    return new ScopedCoreApi(this.pluginId, this.permissions, this.administration, memberId)
  }

  members = {
    list: async (query: { ids?: number[]; cursor?: string | null; limit?: number } = {}) => {
      this.#need('users:read')
      const viewer = await this.#viewerOrNull()
      if (viewer === NOBODY) {
        return { items: [], next_cursor: null }
      }
      const limit = pageSize(query.limit)
      const users = User.query()
        .where('id', '>', afterCursor(query.cursor))
        .orderBy('id')
        .limit(limit + 1)
      if (query.ids) {
        users.whereIn('id', query.ids)
      }
      // Guests do not see the member list, only themselves.
      if (viewer && viewer.role === 'guest') {
        users.where('id', viewer.id)
      }
      const found = await users
      return pageOf(found.map(memberResource), limit)
    },
    get: async (id: number) => {
      const { items } = await this.members.list({ ids: [id], limit: 1 })
      return items[0] ?? null
    },
    findByEmail: async (email: string) => {
      this.#need('users:read')
      const user = await User.query().whereRaw('lower(email) = ?', [email.toLowerCase()]).first()
      return user ? this.members.get(user.id) : null
    },
    provision: (input: MemberProvision) => {
      this.#need('users:write')
      return this.#writes.provision(input)
    },
    update: (id: number, change: MemberChange) => {
      this.#need('users:write')
      return this.#writes.update(id, change)
    },
    deactivate: (id: number) => {
      this.#need('users:write')
      return this.#writes.deactivate(id)
    },
    reactivate: (id: number) => {
      this.#need('users:write')
      return this.#writes.reactivate(id)
    },
  }

  sessions = {
    issue: (memberId: number, login: SignInContext) => {
      this.#need('sessions:write')
      return issueSession(this.pluginId, memberId, login)
    },
  }

  projects = {
    list: async (query: { cursor?: string | null; limit?: number } = {}) => {
      this.#need('projects:read')
      const viewer = await this.#viewerOrNull()
      if (viewer === NOBODY) {
        return { items: [], next_cursor: null }
      }
      const limit = pageSize(query.limit)
      const projects = await (viewer ? ProjectAccess.visibleTo(viewer) : Project.query())
        .where('id', '>', afterCursor(query.cursor))
        .orderBy('id')
        .limit(limit + 1)
      return pageOf(projects.map(projectResource), limit)
    },
    get: async (id: number) => {
      this.#need('projects:read')
      const project = await this.#project(id)
      return project ? projectResource(project) : null
    },
    activity: async (projectId: number, range: { from: Date; to: Date }) => {
      this.#need('projects:read')
      const project = await this.#project(projectId)
      if (!project) {
        return []
      }
      const entries = await ActivityEntry.query()
        .where('project_id', project.id)
        .where('occurred_at', '>=', range.from)
        .where('occurred_at', '<', range.to)
        .orderBy('id')
        .limit(MAX_MESSAGES)
      const actorIds = [...new Set(entries.map((entry) => Number(entry.actorId)).filter(Boolean))]
      const actors = actorIds.length ? await User.query().whereIn('id', actorIds) : []
      const names = new Map(actors.map((actor) => [String(actor.id), actor.fullName]))
      return entries.map((entry) => activityEntryResource(entry, names))
    },
  }

  tasks = {
    list: async (query: TaskQuery = {}) => {
      this.#need('tasks:read')
      const viewer = await this.#viewerOrNull()
      if (viewer === NOBODY) {
        return { items: [], next_cursor: null }
      }
      const limit = pageSize(query.limit)
      const tasks = Task.query()
        .where('id', '>', afterCursor(query.cursor))
        .orderBy('id')
        .limit(limit + 1)
      if (viewer) {
        tasks.whereIn('project_id', ProjectAccess.visibleTo(viewer).select('id'))
      }
      if (query.project_id !== undefined) {
        tasks.where('project_id', query.project_id)
      }
      if (query.assignee_id !== undefined) {
        tasks.whereIn(
          'id',
          db
            .from(TenantContext.table('task_assignees'))
            .where('user_id', query.assignee_id)
            .select('task_id')
        )
      }
      if (query.has_due_date) {
        tasks.whereNotNull('due_date')
      }
      if (query.due_after) {
        tasks.where('due_date', '>=', query.due_after)
      }
      if (query.due_before) {
        tasks.where('due_date', '<=', query.due_before)
      }
      if (query.updated_since) {
        tasks.where('updated_at', '>=', query.updated_since)
      }
      return pageOf(await taskResources(await tasks), limit)
    },
    get: async (id: number) => {
      this.#need('tasks:read')
      const task = await this.#task(id)
      if (!task) {
        return null
      }
      const [resource] = await taskResources([task])
      return resource
    },
    comments: async (taskId: number) => {
      this.#need('tasks:read')
      const task = await this.#task(taskId)
      if (!task) {
        return []
      }
      const comments = await Comment.query().where('task_id', task.id).orderBy('id')
      return comments.map(commentResource)
    },
    update: async (id: number, change: TaskChange, options: { actorId?: number } = {}) => {
      this.#need('tasks:write')
      const actor = await this.#actor(options.actorId)
      const { task, scope } = await ProjectAccess.openTask(actor, id).catch((error) => {
        throw isNotFound(error) ? new PluginError('E_NOT_FOUND', 'No such task', 404) : error
      })
      if (!projectPolicy.contribute(actor, scope)) {
        throw new PluginError('E_FORBIDDEN', 'The member may not change this task', 403)
      }
      const input: TaskInput = {}
      if (change.title !== undefined) input.title = change.title
      if (change.due_date !== undefined) input.due_date = change.due_date
      if (change.status_category !== undefined) {
        input.status = await this.#firstStatusOf(task.projectId, change.status_category)
      }
      const updated = await new TaskChanges()
        .update(actor, task.id, input, change.expected_version)
        .catch((error) => {
          throw error instanceof VersionConflictException
            ? new PluginError('E_VERSION_CONFLICT', error.message, 409)
            : error
        })
      const [resource] = await taskResources([updated], [scope.project])
      return resource
    },
  }

  channels = {
    get: async (id: number) => {
      this.#need('messages:read')
      const channel = await this.#channel(id)
      return channel ? channelResource(channel) : null
    },
    messages: async (
      channelId: number,
      query: { from: Date; to: Date; thread_id?: number; after_seq?: number; limit?: number }
    ) => {
      this.#need('messages:read')
      const channel = await this.#channel(channelId)
      if (!channel) {
        return []
      }
      const rows = db
        .from(tables.messages())
        .where('channel_id', channel.id)
        .whereNull('deleted_at')
        .where('created_at', '>=', query.from)
        .where('created_at', '<', query.to)
        .orderBy('seq')
        .limit(Math.min(Math.max(1, query.limit ?? MAX_MESSAGES), MAX_MESSAGES))
      if (query.after_seq !== undefined) {
        rows.where('seq', '>', query.after_seq)
      }
      if (query.thread_id !== undefined) {
        const root = query.thread_id
        rows.where((thread) => thread.where('id', root).orWhere('thread_id', root))
      }
      const messages = await rows
      return messages.map(messageResource)
    },
  }

  #need(permission: PluginPermission) {
    if (!this.permissions.has(permission)) {
      throw new PluginPermissionDeniedException(this.pluginId, permission)
    }
  }

  /** null: the plugin itself; NOBODY: a member who cannot read anything. */
  #viewerOrNull(): Promise<Viewer> {
    if (this.viewerId === null) {
      return Promise.resolve(null)
    }
    this.#viewer ??= User.find(this.viewerId).then((user) =>
      user && user.isActive ? user : NOBODY
    )
    return this.#viewer
  }

  async #project(id: number) {
    const viewer = await this.#viewerOrNull()
    if (viewer === NOBODY) {
      return null
    }
    if (!viewer) {
      return Project.find(id)
    }
    return ProjectAccess.open(viewer, id).then(
      (scope) => scope.project,
      (error) => (isNotFound(error) ? null : Promise.reject(error))
    )
  }

  async #task(id: number) {
    const viewer = await this.#viewerOrNull()
    if (viewer === NOBODY) {
      return null
    }
    if (!viewer) {
      return Task.find(id)
    }
    return ProjectAccess.openTask(viewer, id).then(
      ({ task }) => task,
      (error) => (isNotFound(error) ? null : Promise.reject(error))
    )
  }

  async #channel(id: number) {
    const viewer = await this.#viewerOrNull()
    if (viewer === NOBODY) {
      return null
    }
    if (!viewer) {
      return (await db.from(tables.channels()).where('id', id).first()) ?? null
    }
    return ChannelAccess.open(viewer, id).then(
      ({ channel }) => channel,
      (error) => (isNotFound(error) ? null : Promise.reject(error))
    )
  }

  /** Who a write is recorded as: an active member, never the plugin alone. */
  async #actor(actorId: number | undefined) {
    const viewer = await this.#viewerOrNull()
    const actor =
      actorId !== undefined ? await User.find(actorId) : viewer === NOBODY ? null : viewer
    if (!actor || !actor.isActive) {
      throw new PluginError(
        'E_ACTOR_REQUIRED',
        'A change needs an active member to record it as: use as(memberId) or actorId',
        422
      )
    }
    return actor
  }

  async #firstStatusOf(projectId: number, category: 'todo' | 'in_progress' | 'done') {
    const status = await WorkflowStatus.query()
      .where('project_id', projectId)
      .where('category', category)
      .orderBy('position')
      .first()
    if (!status) {
      throw new PluginError(
        'E_VALIDATION_ERROR',
        `The project has no status of category "${category}"`,
        422
      )
    }
    return status.id
  }
}
