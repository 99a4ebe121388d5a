import type { ApiClient } from '@japa/api-client'
import type { UserRole } from '#identity/models/user'
import type { ProjectRole } from '#work/models/project_role'
import type { TestTenant } from '#tests/helpers/tenants'
import { as, createProject, createTask, postComment, type Api } from '#tests/helpers/work'

let keys = 0

/** A project key no other project of this test run uses: P1, P2, ... */
export function uniqueProjectKey() {
  keys += 1
  return `P${keys}`
}

/**
 * Work data of one tenant, made through its HTTP API as its owner (or as
 * whoever `api` is), so a fixture goes through the same checks and
 * events as real data.
 */
export function workFixtures(client: ApiClient, tenant: TestTenant) {
  const owner = as(client, tenant, tenant.ownerToken)

  const fixtures = {
    tenant,
    owner,

    /** A project led by its creator (the owner unless `api` says otherwise). */
    project: (body: Record<string, unknown> = {}, api: Api = owner) =>
      createProject(api, { name: 'Matrix project', key: uniqueProjectKey(), ...body }),

    async projectId(body: Record<string, unknown> = {}, api: Api = owner) {
      const { id } = await fixtures.project(body, api)
      return id
    },

    /** A task in the given project, or in a new one. */
    async task(projectId?: number, body: Record<string, unknown> = {}, api: Api = owner) {
      const project = projectId ?? (await fixtures.projectId())
      const task = await createTask(api, project, body)
      return { ...task, projectId: project }
    },

    async taskId(projectId?: number, body: Record<string, unknown> = {}, api: Api = owner) {
      const { id } = await fixtures.task(projectId, body, api)
      return id
    },

    /** A comment on the given task, or on a new task in a new project. */
    async comment(taskId?: number, body = 'A comment', api: Api = owner) {
      const task = taskId ?? (await fixtures.taskId())
      const comment = await postComment(api, task, body)
      return { ...comment, taskId: task }
    },

    async commentId(taskId?: number, body = 'A comment', api: Api = owner) {
      const { id } = await fixtures.comment(taskId, body, api)
      return id
    },

    /** The project's workflow statuses in board order. */
    async statuses(projectId: number) {
      const response = await owner.get(`/projects/${projectId}/statuses`)
      response.assertStatus(200)
      return response.body().data as { id: number; name: string; category: string }[]
    },

    /** A new active member of the workspace with a token. */
    async member(role: UserRole = 'member') {
      const { user, token } = await tenant.member(role)
      return { user, token, api: as(client, tenant, token) }
    },

    async memberId(role: UserRole = 'member') {
      const { user } = await tenant.member(role)
      return user.id
    },

    /** Adds the user to the project or changes their role there. */
    async join(projectId: number, userId: number, role: ProjectRole) {
      const response = await owner.post(`/projects/${projectId}/members`, {
        user_id: userId,
        role,
      })
      if (response.status() !== 200 && response.status() !== 201) {
        response.assertStatus(201)
      }
    },
  }
  return fixtures
}

export type WorkFixtures = ReturnType<typeof workFixtures>
