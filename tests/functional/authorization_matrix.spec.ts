import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import app from '@adonisjs/core/services/app'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { pluginRoutePattern } from '#plugins/routes'
import type { ApiClient } from '@japa/api-client'
import { createTenant, PASSWORD } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { workFixtures, uniqueProjectKey, type WorkFixtures } from '#tests/helpers/work_fixtures'
import type { ProjectRole } from '#work/models/project_role'
import type { Api } from '#tests/helpers/work'
import { createChannel, postMessage, uniqueChannelName } from '#tests/helpers/messaging'
import { SCIM_USER } from '#tests/helpers/scim'

type Actor = 'anonymous' | 'otherTenantAdmin' | 'guest' | 'member' | 'admin' | 'owner'
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete'

interface Target {
  url: string
  body?: Record<string, unknown>
}

interface RouteCase {
  method: Method
  /** The route pattern as registered. */
  pattern: string
  /**
   * A fresh request target and body for one actor (a new victim each
   * time). Work fixtures are made by acme's owner: a project the owner
   * created, so `member` and `guest` were not added to it (the member
   * reads it as a viewer, the guest cannot see it).
   */
  build: (acme: WorkFixtures) => Promise<Target>
  expect: Record<Actor, number>
}

/** Callers without a token of the tenant get 401 on every authenticated route. */
function signedIn(statuses: Record<'guest' | 'member' | 'admin' | 'owner', number>) {
  return { anonymous: 401, otherTenantAdmin: 401, ...statuses }
}

/** Workspace admins and owners only (200). */
const ADMINS_ONLY = signedIn({ guest: 403, member: 403, admin: 200, owner: 200 })

/** The same status for every caller, signed in or not. */
function everyone(status: number): Record<Actor, number> {
  return {
    anonymous: status,
    otherTenantAdmin: status,
    guest: status,
    member: status,
    admin: status,
    owner: status,
  }
}

/** Readable by every full member; guests see only projects they were added to. */
const READ_PROJECT = signedIn({ guest: 404, member: 200, admin: 200, owner: 200 })

/*
 * Chat fixtures are the owner's too: a public channel the owner created,
 * which the other callers did not join (full members read it, only
 * members take part, guests cannot see it).
 */
const READ_CHANNEL = READ_PROJECT
const CHANNEL_MEMBERS_ONLY = signedIn({ guest: 404, member: 403, admin: 403, owner: 200 })

async function ownerChannelId(acme: WorkFixtures) {
  const { id } = await createChannel(acme.owner)
  return id
}

/** A message of the owner, in a new public channel of theirs. */
async function ownerMessageId(acme: WorkFixtures) {
  const { id } = await postMessage(acme.owner, await ownerChannelId(acme), 'Matrix message')
  return id
}

async function ownerDoes(acme: WorkFixtures, method: 'put' | 'post', url: string) {
  const response = await acme.owner[method](url)
  response.assertStatus(method === 'put' ? 201 : 200)
}

/**
 * Every tenant route, with the status each kind of caller gets. Central
 * and health routes are listed in CENTRAL_ROUTES. A route missing from
 * both fails the last test of this group.
 */
const MATRIX: RouteCase[] = [
  {
    method: 'post',
    pattern: '/api/v1/auth/login',
    build: async () => ({
      url: '/api/v1/auth/login',
      body: { email: 'owner@acme.test', password: PASSWORD },
    }),
    expect: {
      anonymous: 201,
      otherTenantAdmin: 201,
      guest: 201,
      member: 201,
      admin: 201,
      owner: 201,
    },
  },
  {
    method: 'post',
    pattern: '/api/v1/invitations/:token/accept',
    build: async () => ({
      url: '/api/v1/invitations/not-a-real-token/accept',
      body: { full_name: 'X', password: PASSWORD },
    }),
    expect: everyone(404),
  },
  {
    method: 'post',
    pattern: '/api/v1/auth/logout',
    build: async () => ({ url: '/api/v1/auth/logout' }),
    expect: signedIn({ guest: 204, member: 204, admin: 204, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/me',
    build: async () => ({ url: '/api/v1/me' }),
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/members',
    build: async () => ({ url: '/api/v1/members' }),
    expect: signedIn({ guest: 403, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/members/invitations',
    build: async () => ({
      url: '/api/v1/members/invitations',
      body: { email: `invitee-${Math.random().toString(36).slice(2)}@acme.test`, role: 'member' },
    }),
    expect: signedIn({ guest: 403, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'patch',
    pattern: '/api/v1/members/:id',
    build: async (acme) => ({
      url: `/api/v1/members/${await acme.memberId()}`,
      body: { role: 'guest' },
    }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'post',
    pattern: '/api/v1/members/:id/deactivate',
    build: async (acme) => ({ url: `/api/v1/members/${await acme.memberId()}/deactivate` }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'post',
    pattern: '/api/v1/members/:id/reactivate',
    build: async (acme) => ({ url: `/api/v1/members/${await acme.memberId()}/reactivate` }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'get',
    pattern: '/api/v1/audit-events',
    build: async () => ({ url: '/api/v1/audit-events' }),
    expect: ADMINS_ONLY,
  },

  // Projects
  {
    method: 'get',
    pattern: '/api/v1/projects',
    build: async (acme) => {
      await acme.project()
      return { url: '/api/v1/projects' }
    },
    // A guest's list is empty, not refused.
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/projects',
    build: async () => ({
      url: '/api/v1/projects',
      body: { name: 'New project', key: uniqueProjectKey() },
    }),
    expect: signedIn({ guest: 403, member: 201, admin: 201, owner: 201 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/projects/:id',
    build: async (acme) => ({ url: `/api/v1/projects/${await acme.projectId()}` }),
    expect: READ_PROJECT,
  },
  {
    method: 'patch',
    pattern: '/api/v1/projects/:id',
    build: async (acme) => ({
      url: `/api/v1/projects/${await acme.projectId()}`,
      body: { name: 'Renamed' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/projects/:id',
    // Without tasks, so it is deleted (204) rather than archived (200).
    build: async (acme) => ({ url: `/api/v1/projects/${await acme.projectId()}` }),
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },

  // Project members
  {
    method: 'get',
    pattern: '/api/v1/projects/:id/members',
    build: async (acme) => ({ url: `/api/v1/projects/${await acme.projectId()}/members` }),
    expect: READ_PROJECT,
  },
  {
    method: 'post',
    pattern: '/api/v1/projects/:id/members',
    build: async (acme) => ({
      url: `/api/v1/projects/${await acme.projectId()}/members`,
      body: { user_id: await acme.memberId(), role: 'member' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/projects/:id/members/:userId',
    build: async (acme) => {
      const project = await acme.project()
      const userId = await acme.memberId()
      await acme.join(project.id, userId, 'member')
      return { url: `/api/v1/projects/${project.id}/members/${userId}` }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },

  // Workflow statuses
  {
    method: 'get',
    pattern: '/api/v1/projects/:id/statuses',
    build: async (acme) => ({ url: `/api/v1/projects/${await acme.projectId()}/statuses` }),
    expect: READ_PROJECT,
  },
  {
    method: 'post',
    pattern: '/api/v1/projects/:id/statuses',
    build: async (acme) => ({
      url: `/api/v1/projects/${await acme.projectId()}/statuses`,
      body: { name: 'Review', category: 'in_progress' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'patch',
    pattern: '/api/v1/projects/:id/statuses/:statusId',
    build: async (acme) => {
      const project = await acme.project()
      const [first] = await acme.statuses(project.id)
      return {
        url: `/api/v1/projects/${project.id}/statuses/${first.id}`,
        body: { name: 'Backlog' },
      }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/projects/:id/statuses/:statusId',
    // No task uses it, so it may go.
    build: async (acme) => {
      const project = await acme.project()
      const [first] = await acme.statuses(project.id)
      return { url: `/api/v1/projects/${project.id}/statuses/${first.id}` }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },

  // Tasks
  {
    method: 'get',
    pattern: '/api/v1/projects/:id/tasks',
    build: async (acme) => {
      const task = await acme.task()
      return { url: `/api/v1/projects/${task.projectId}/tasks` }
    },
    expect: READ_PROJECT,
  },
  {
    method: 'post',
    pattern: '/api/v1/projects/:id/tasks',
    build: async (acme) => ({
      url: `/api/v1/projects/${await acme.projectId()}/tasks`,
      body: { title: 'New task' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/users/me/tasks',
    build: async (acme) => {
      await acme.task()
      return { url: '/api/v1/users/me/tasks' }
    },
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/tasks/:id',
    build: async (acme) => ({ url: `/api/v1/tasks/${await acme.taskId()}` }),
    expect: READ_PROJECT,
  },
  {
    method: 'patch',
    pattern: '/api/v1/tasks/:id',
    build: async (acme) => ({
      url: `/api/v1/tasks/${await acme.taskId()}`,
      body: { title: 'Retitled' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/tasks/:id',
    // The owner's task: not the caller's own.
    build: async (acme) => ({ url: `/api/v1/tasks/${await acme.taskId()}` }),
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'put',
    pattern: '/api/v1/tasks/:id/status',
    build: async (acme) => ({
      url: `/api/v1/tasks/${await acme.taskId()}/status`,
      body: { status: 'Done' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/tasks/:id/move',
    // To another project of the owner: both ends are checked.
    build: async (acme) => {
      const task = await acme.task()
      const target = await acme.project()
      return { url: `/api/v1/tasks/${task.id}/move`, body: { project_id: target.id } }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },

  // Comments
  {
    method: 'get',
    pattern: '/api/v1/tasks/:id/comments',
    build: async (acme) => {
      const comment = await acme.comment()
      return { url: `/api/v1/tasks/${comment.taskId}/comments` }
    },
    expect: READ_PROJECT,
  },
  {
    method: 'post',
    pattern: '/api/v1/tasks/:id/comments',
    build: async (acme) => ({
      url: `/api/v1/tasks/${await acme.taskId()}/comments`,
      body: { body: 'Me too' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'patch',
    pattern: '/api/v1/comments/:id',
    // The owner's comment: only workspace admins moderate others' words.
    build: async (acme) => ({
      url: `/api/v1/comments/${await acme.commentId()}`,
      body: { body: 'Edited' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/comments/:id',
    build: async (acme) => ({ url: `/api/v1/comments/${await acme.commentId()}` }),
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/comments/:id/revisions',
    build: async (acme) => {
      const comment = await acme.comment()
      await acme.owner
        .patch(`/comments/${comment.id}`, { body: 'Second thoughts' })
        .then((response) => response.assertStatus(200))
      return { url: `/api/v1/comments/${comment.id}/revisions` }
    },
    expect: READ_PROJECT,
  },

  // Activity feed
  {
    method: 'get',
    pattern: '/api/v1/projects/:id/activity-feed',
    build: async (acme) => {
      const task = await acme.task()
      return { url: `/api/v1/projects/${task.projectId}/activity-feed` }
    },
    expect: READ_PROJECT,
  },

  // Presence: any signed-in member, guests too (it says only who is around).
  {
    method: 'get',
    pattern: '/api/v1/presence',
    build: async (acme) => ({ url: `/api/v1/presence?user_ids=${await acme.memberId()}` }),
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'put',
    pattern: '/api/v1/presence/status',
    build: async () => ({ url: '/api/v1/presence/status', body: { text: 'In a meeting' } }),
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },

  // Server-Sent Events: the stream itself never ends, so its row sends a bad
  // stream id: only callers who got past authentication reach that check.
  {
    method: 'get',
    pattern: '/__transmit/events',
    build: async () => ({ url: '/__transmit/events?uid=not-a-uuid' }),
    expect: signedIn({ guest: 422, member: 422, admin: 422, owner: 422 }),
  },
  // Only a member's own channel is granted; the owner's has no stream open.
  {
    method: 'post',
    pattern: '/__transmit/subscribe',
    build: async (acme) => ({
      url: '/__transmit/subscribe',
      body: {
        uid: randomUUID(),
        channel: `tenants/${acme.tenant.id}/users/${acme.tenant.owner.id}`,
      },
    }),
    expect: signedIn({ guest: 403, member: 403, admin: 403, owner: 404 }),
  },
  {
    method: 'post',
    pattern: '/__transmit/unsubscribe',
    build: async (acme) => ({
      url: '/__transmit/unsubscribe',
      body: { uid: randomUUID(), channel: `tenants/${acme.tenant.id}/users/1` },
    }),
    expect: signedIn({ guest: 204, member: 204, admin: 204, owner: 204 }),
  },

  // Chat
  {
    method: 'get',
    pattern: '/api/v1/channels',
    build: async (acme) => {
      await ownerChannelId(acme)
      return { url: '/api/v1/channels' }
    },
    // A caller's own channels: empty, not refused.
    expect: signedIn({ guest: 200, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/channels',
    build: async () => ({
      url: '/api/v1/channels',
      body: { name: uniqueChannelName('matrix'), type: 'public' },
    }),
    expect: signedIn({ guest: 403, member: 201, admin: 201, owner: 201 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/channels/:id',
    build: async (acme) => ({ url: `/api/v1/channels/${await ownerChannelId(acme)}` }),
    expect: READ_CHANNEL,
  },
  {
    method: 'patch',
    pattern: '/api/v1/channels/:id',
    build: async (acme) => ({
      url: `/api/v1/channels/${await ownerChannelId(acme)}`,
      body: { topic: 'Changed' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 200, owner: 200 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/channels/:id',
    build: async (acme) => ({ url: `/api/v1/channels/${await ownerChannelId(acme)}` }),
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/channels/:id/members',
    build: async (acme) => ({ url: `/api/v1/channels/${await ownerChannelId(acme)}/members` }),
    expect: READ_CHANNEL,
  },
  {
    method: 'post',
    pattern: '/api/v1/channels/:id/members',
    // Someone else: a full member may only add themself (joining).
    build: async (acme) => ({
      url: `/api/v1/channels/${await ownerChannelId(acme)}/members`,
      body: { user_ids: [await acme.memberId()] },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/channels/:id/members/:userId',
    build: async (acme) => {
      const channelId = await ownerChannelId(acme)
      const userId = await acme.memberId()
      const response = await acme.owner.post(`/channels/${channelId}/members`, {
        user_ids: [userId],
      })
      response.assertStatus(201)
      return { url: `/api/v1/channels/${channelId}/members/${userId}` }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/direct-messages',
    // A guest shares no channel with a new member.
    build: async (acme) => ({
      url: '/api/v1/direct-messages',
      body: { user_ids: [await acme.memberId()] },
    }),
    expect: signedIn({ guest: 422, member: 201, admin: 201, owner: 201 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/channels/:id/messages',
    build: async (acme) => {
      const channelId = await ownerChannelId(acme)
      await postMessage(acme.owner, channelId, 'Matrix message')
      return { url: `/api/v1/channels/${channelId}/messages` }
    },
    expect: READ_CHANNEL,
  },
  {
    method: 'post',
    pattern: '/api/v1/channels/:id/messages',
    build: async (acme) => ({
      url: `/api/v1/channels/${await ownerChannelId(acme)}/messages`,
      body: { body: 'Hello', client_id: 'matrix' },
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 403, owner: 201 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/messages/:id',
    build: async (acme) => ({ url: `/api/v1/messages/${await ownerMessageId(acme)}` }),
    expect: READ_CHANNEL,
  },
  {
    method: 'patch',
    pattern: '/api/v1/messages/:id',
    // Only its author edits a message, admins neither.
    build: async (acme) => ({
      url: `/api/v1/messages/${await ownerMessageId(acme)}`,
      body: { body: 'Edited' },
    }),
    expect: CHANNEL_MEMBERS_ONLY,
  },
  {
    method: 'delete',
    pattern: '/api/v1/messages/:id',
    build: async (acme) => ({ url: `/api/v1/messages/${await ownerMessageId(acme)}` }),
    expect: signedIn({ guest: 404, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/messages/:id/revisions',
    build: async (acme) => {
      const messageId = await ownerMessageId(acme)
      const response = await acme.owner.patch(`/messages/${messageId}`, { body: 'Edited' })
      response.assertStatus(200)
      return { url: `/api/v1/messages/${messageId}/revisions` }
    },
    expect: READ_CHANNEL,
  },
  {
    method: 'put',
    pattern: '/api/v1/messages/:id/reactions/:emoji',
    build: async (acme) => ({
      url: `/api/v1/messages/${await ownerMessageId(acme)}/reactions/${encodeURIComponent('👍')}`,
    }),
    expect: signedIn({ guest: 404, member: 403, admin: 403, owner: 201 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/messages/:id/reactions/:emoji',
    build: async (acme) => {
      const messageId = await ownerMessageId(acme)
      await ownerDoes(acme, 'put', `/messages/${messageId}/reactions/:wave:`)
      return { url: `/api/v1/messages/${messageId}/reactions/:wave:` }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 403, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/channels/:id/pins',
    build: async (acme) => ({ url: `/api/v1/channels/${await ownerChannelId(acme)}/pins` }),
    expect: READ_CHANNEL,
  },
  {
    method: 'post',
    pattern: '/api/v1/messages/:id/pin',
    build: async (acme) => ({ url: `/api/v1/messages/${await ownerMessageId(acme)}/pin` }),
    expect: CHANNEL_MEMBERS_ONLY,
  },
  {
    method: 'delete',
    pattern: '/api/v1/messages/:id/pin',
    build: async (acme) => {
      const messageId = await ownerMessageId(acme)
      await ownerDoes(acme, 'post', `/messages/${messageId}/pin`)
      return { url: `/api/v1/messages/${messageId}/pin` }
    },
    expect: signedIn({ guest: 404, member: 403, admin: 403, owner: 204 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/channels/:id/read',
    build: async (acme) => ({
      url: `/api/v1/channels/${await ownerChannelId(acme)}/read`,
      body: { seq: 0 },
    }),
    expect: CHANNEL_MEMBERS_ONLY,
  },

  // Provisioning (admin API)
  {
    method: 'get',
    pattern: '/api/v1/scim/tokens',
    build: async () => ({ url: '/api/v1/scim/tokens' }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'post',
    pattern: '/api/v1/scim/tokens',
    build: async () => ({ url: '/api/v1/scim/tokens', body: { name: 'Okta' } }),
    expect: signedIn({ guest: 403, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'delete',
    pattern: '/api/v1/scim/tokens/:id',
    build: async (acme) => {
      const created = await acme.owner.post('/scim/tokens', { name: 'To revoke' })
      return { url: `/api/v1/scim/tokens/${created.body().data.id}` }
    },
    expect: signedIn({ guest: 403, member: 403, admin: 204, owner: 204 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/auth/providers',
    build: async () => ({ url: '/api/v1/auth/providers' }),
    expect: everyone(200),
  },
  {
    method: 'get',
    pattern: '/api/v1/sign-in-policy',
    build: async () => ({ url: '/api/v1/sign-in-policy' }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'put',
    pattern: '/api/v1/sign-in-policy',
    build: async () => ({ url: '/api/v1/sign-in-policy', body: { require_sso: false } }),
    expect: signedIn({ guest: 403, member: 403, admin: 403, owner: 200 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/scim/groups',
    build: async () => ({ url: '/api/v1/scim/groups' }),
    expect: ADMINS_ONLY,
  },
  {
    method: 'put',
    pattern: '/api/v1/scim/groups/:groupId/mapping',
    build: async (acme) => {
      // A group as an IdP would have provisioned it.
      const [group] = await db
        .table(`${acme.tenant.schema}.scim_groups`)
        .insert({ display_name: `Group ${randomUUID()}` })
        .returning('id')
      return {
        url: `/api/v1/scim/groups/${group.id}/mapping`,
        body: { role: 'member', projects: [] },
      }
    },
    expect: ADMINS_ONLY,
  },
]

/**
 * The SCIM server takes SCIM tokens only: a member's access token, even an
 * owner's, is refused on every route (scim_tokens.spec.ts covers the SCIM
 * tokens themselves). One test sends them all, from the same fixtures.
 */
function scimServerRoutes() {
  const routes: [Method, string, string][] = []
  for (const type of ['Users', 'Groups']) {
    routes.push(
      ['get', `/scim/v2/${type}`, `/scim/v2/${type}`],
      ['post', `/scim/v2/${type}`, `/scim/v2/${type}`],
      ...(['get', 'put', 'patch', 'delete'] as const).map(
        (method) =>
          [method, `/scim/v2/${type}/:id`, `/scim/v2/${type}/1`] as [Method, string, string]
      )
    )
  }
  routes.push(
    ['get', '/scim/v2/ServiceProviderConfig', '/scim/v2/ServiceProviderConfig'],
    ['get', '/scim/v2/ResourceTypes', '/scim/v2/ResourceTypes'],
    ['get', '/scim/v2/ResourceTypes/:name', '/scim/v2/ResourceTypes/User'],
    ['get', '/scim/v2/Schemas', '/scim/v2/Schemas'],
    ['get', '/scim/v2/Schemas/:id', `/scim/v2/Schemas/${SCIM_USER}`]
  )
  for (const path of ['ServiceProviderConfig', 'ResourceTypes', 'Schemas']) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      routes.push(
        [method, `/scim/v2/${path}`, `/scim/v2/${path}`],
        [method, `/scim/v2/${path}/:id`, `/scim/v2/${path}/x`]
      )
    }
  }
  for (const path of ['Me', 'Bulk']) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      routes.push([method, `/scim/v2/${path}`, `/scim/v2/${path}`])
    }
  }
  return routes.map(([method, pattern, url]) => ({
    method,
    pattern,
    target: { url, body: method === 'get' || method === 'delete' ? undefined : {} },
  }))
}

const SCIM_SERVER_ROUTES = scimServerRoutes()

/** Ensures acme has the plugin installed (by its owner) and returns its admin URL. */
async function installedPlugin(acme: WorkFixtures, pluginId: string) {
  const shown = await acme.owner.get(`/plugins/${pluginId}`)
  if (shown.body().data.installation === null) {
    const installed = await acme.owner.post(`/plugins/${pluginId}/install`, {})
    installed.assertStatus(201)
  }
  return `/api/v1/plugins/${pluginId}`
}

const PLUGIN_ADMINS = signedIn({ guest: 403, member: 403, admin: 200, owner: 200 })

/*
 * The plugin admin API. Routes plugins declare themselves (below
 * /api/v1/plugins/<id>/) are checked by the runtime against the
 * installation of the host's tenant, and covered by tests/functional/plugins
 * and each plugin's own suite.
 */
MATRIX.push(
  {
    method: 'get',
    pattern: '/api/v1/plugins',
    build: async () => ({ url: '/api/v1/plugins' }),
    expect: signedIn({ guest: 403, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'get',
    pattern: '/api/v1/plugins/:plugin',
    build: async (acme) => ({ url: await installedPlugin(acme, 'probe') }),
    expect: signedIn({ guest: 403, member: 200, admin: 200, owner: 200 }),
  },
  {
    method: 'post',
    pattern: '/api/v1/plugins/:plugin/install',
    // Not installed before each caller tries.
    build: async (acme) => {
      await acme.owner.delete('/plugins/failing?purge=true')
      return { url: '/api/v1/plugins/failing/install', body: {} }
    },
    expect: signedIn({ guest: 403, member: 403, admin: 201, owner: 201 }),
  },
  {
    method: 'patch',
    pattern: '/api/v1/plugins/:plugin/settings',
    build: async (acme) => ({
      url: `${await installedPlugin(acme, 'probe')}/settings`,
      body: { greeting: 'hello' },
    }),
    expect: PLUGIN_ADMINS,
  },
  {
    method: 'post',
    pattern: '/api/v1/plugins/:plugin/enable',
    build: async (acme) => ({ url: `${await installedPlugin(acme, 'probe')}/enable` }),
    expect: PLUGIN_ADMINS,
  },
  {
    method: 'post',
    pattern: '/api/v1/plugins/:plugin/disable',
    build: async (acme) => ({ url: `${await installedPlugin(acme, 'probe')}/disable` }),
    expect: PLUGIN_ADMINS,
  },
  {
    method: 'delete',
    pattern: '/api/v1/plugins/:plugin',
    build: async (acme) => ({ url: await installedPlugin(acme, 'probe') }),
    expect: signedIn({ guest: 403, member: 403, admin: 204, owner: 204 }),
  }
)

/** Routes outside tenants, covered by their own specs. */
const CENTRAL_ROUTES = [
  'GET /health/live',
  'GET /health/ready',
  'POST /api/v1/organizations',
  'GET /api/v1/openapi.json',
]

const ACTORS: Actor[] = ['anonymous', 'otherTenantAdmin', 'guest', 'member', 'admin', 'owner']

function send(client: ApiClient, method: Method, host: string, target: Target, token?: string) {
  const request = client[method](target.url).header('host', host)
  if (token) {
    request.bearerToken(token)
  }
  if (target.body) {
    request.json(target.body)
  }
  return request
}

test.group('Authorization matrix', (group) => {
  group.each.setup(() => resetDatabase())

  for (const route of MATRIX) {
    test(`${route.method.toUpperCase()} ${route.pattern}`, async ({ client, assert }) => {
      const acme = await createTenant('acme')
      const globex = await createTenant('globex')
      const [otherTenantAdmin, guest, member, admin] = await Promise.all([
        globex.member('admin'),
        acme.member('guest'),
        acme.member('member'),
        acme.member('admin'),
      ])
      const tokens: Record<Actor, string | undefined> = {
        anonymous: undefined,
        otherTenantAdmin: otherTenantAdmin.token,
        guest: guest.token,
        member: member.token,
        admin: admin.token,
        owner: acme.ownerToken,
      }
      const fixtures = workFixtures(client, acme)
      const observed: Partial<Record<Actor, number>> = {}
      for (const actor of ACTORS) {
        const target = await route.build(fixtures)
        const response = await send(client, route.method, acme.host, target, tokens[actor])
        observed[actor] = response.status()
      }
      assert.deepEqual(observed, route.expect)
    }).timeout(30_000)
  }

  test('SCIM server routes refuse every member access token (401)', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const [otherTenantAdmin, guest, member, admin] = await Promise.all([
      globex.member('admin'),
      acme.member('guest'),
      acme.member('member'),
      acme.member('admin'),
    ])
    const tokens = [otherTenantAdmin, guest, member, admin].map((actor) => actor.token)
    const refused: string[] = []
    for (const route of SCIM_SERVER_ROUTES) {
      for (const token of [undefined, ...tokens, acme.ownerToken]) {
        const response = await send(client, route.method, acme.host, route.target, token)
        if (response.status() !== 401) {
          refused.push(`${route.method} ${route.target.url}: ${response.status()}`)
        }
      }
    }
    assert.deepEqual(refused, [])
  }).timeout(60_000)

  test('every registered route and method is in the matrix', async ({ assert }) => {
    const registered = Object.values(router.toJSON())
      .flat()
      .flatMap((route) =>
        route.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${route.pattern}`)
      )
    const covered = new Set([
      ...MATRIX.map((route) => `${route.method.toUpperCase()} ${route.pattern}`),
      ...SCIM_SERVER_ROUTES.map((route) => `${route.method.toUpperCase()} ${route.pattern}`),
      ...CENTRAL_ROUTES,
    ])
    const registry = await app.container.make(PluginRegistry)
    const pluginDeclared = new Set(
      registry
        .all()
        .flatMap((plugin) =>
          (plugin.routes ?? []).map(
            (route) => `${route.method.toUpperCase()} ${pluginRoutePattern(plugin, route)}`
          )
        )
    )
    const declaredByPlugin = (route: string) => pluginDeclared.has(route)
    const missing = registered.filter((route) => !covered.has(route) && !declaredByPlugin(route))
    assert.deepEqual(
      missing,
      [],
      `routes missing from the authorization matrix: ${missing.join(', ')}`
    )
  })
})

/*
 * The same write routes for full members added to the project with each
 * role, and for a guest added as a member (who then acts like one).
 * Fixtures are again the owner's, unless a case says the actor made it.
 */
type ProjectActor = 'viewer' | 'member' | 'lead' | 'guestMember'

interface ProjectActorSpec {
  workspaceRole: 'member' | 'guest'
  role: ProjectRole
}

const PROJECT_ACTORS: Record<ProjectActor, ProjectActorSpec> = {
  viewer: { workspaceRole: 'member', role: 'viewer' },
  member: { workspaceRole: 'member', role: 'member' },
  lead: { workspaceRole: 'member', role: 'lead' },
  guestMember: { workspaceRole: 'guest', role: 'member' },
}

interface Caller {
  user: { id: number }
  api: Api
}

interface RoleCase {
  title: string
  method: Method
  /**
   * A fresh target in a fresh project of the owner, with the caller added
   * to it. `join` gives the caller their role; cases about the caller's
   * own task or comment make it as a project member first, then join.
   */
  build: (
    acme: WorkFixtures,
    caller: Caller,
    join: (projectId: number) => Promise<void>
  ) => Promise<Target>
  expect: Record<ProjectActor, number>
}

/** A project of the owner in which the caller has their role. */
async function joinedProjectId(acme: WorkFixtures, join: (projectId: number) => Promise<void>) {
  const projectId = await acme.projectId()
  await join(projectId)
  return projectId
}

/** A task the caller created as a project member, before getting their role. */
async function ownTaskId(
  acme: WorkFixtures,
  caller: Caller,
  join: (projectId: number) => Promise<void>
) {
  const projectId = await acme.projectId()
  await acme.join(projectId, caller.user.id, 'member')
  const taskId = await acme.taskId(projectId, {}, caller.api)
  await join(projectId)
  return taskId
}

/** A comment the caller wrote as a project member, before getting their role. */
async function ownCommentId(
  acme: WorkFixtures,
  caller: Caller,
  join: (projectId: number) => Promise<void>
) {
  const projectId = await acme.projectId()
  const taskId = await acme.taskId(projectId)
  await acme.join(projectId, caller.user.id, 'member')
  const commentId = await acme.commentId(taskId, 'Mine', caller.api)
  await join(projectId)
  return commentId
}

const ROLE_MATRIX: RoleCase[] = [
  {
    title: 'GET /tasks/:id',
    method: 'get',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      return { url: `/api/v1/tasks/${await acme.taskId(projectId)}` }
    },
    expect: { viewer: 200, member: 200, lead: 200, guestMember: 200 },
  },
  {
    title: 'POST /projects/:id/tasks',
    method: 'post',
    build: async (acme, _caller, join) => ({
      url: `/api/v1/projects/${await joinedProjectId(acme, join)}/tasks`,
      body: { title: 'New task' },
    }),
    expect: { viewer: 403, member: 201, lead: 201, guestMember: 201 },
  },
  {
    title: "PATCH /tasks/:id (another's task)",
    method: 'patch',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      return { url: `/api/v1/tasks/${await acme.taskId(projectId)}`, body: { title: 'Re' } }
    },
    expect: { viewer: 403, member: 200, lead: 200, guestMember: 200 },
  },
  {
    title: "PUT /tasks/:id/status (another's task)",
    method: 'put',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const task = await acme.task(projectId)
      return { url: `/api/v1/tasks/${task.id}/status`, body: { status: 'In Progress' } }
    },
    expect: { viewer: 403, member: 200, lead: 200, guestMember: 200 },
  },
  {
    title: "DELETE /tasks/:id (another's task)",
    method: 'delete',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      return { url: `/api/v1/tasks/${await acme.taskId(projectId)}` }
    },
    expect: { viewer: 403, member: 403, lead: 204, guestMember: 403 },
  },
  {
    title: 'DELETE /tasks/:id (its creator)',
    method: 'delete',
    build: async (acme, caller, join) => ({
      url: `/api/v1/tasks/${await ownTaskId(acme, caller, join)}`,
    }),
    // A creator who is now a viewer no longer may.
    expect: { viewer: 403, member: 204, lead: 204, guestMember: 204 },
  },
  {
    title: 'POST /tasks/:id/move (on its board)',
    method: 'post',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const first = await acme.task(projectId)
      const second = await acme.task(projectId)
      return { url: `/api/v1/tasks/${second.id}/move`, body: { before_id: first.id } }
    },
    expect: { viewer: 403, member: 200, lead: 200, guestMember: 200 },
  },
  {
    title: 'POST /tasks/:id/move (to a project the caller was not added to)',
    method: 'post',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const task = await acme.task(projectId)
      const elsewhere = await acme.project()
      return { url: `/api/v1/tasks/${task.id}/move`, body: { project_id: elsewhere.id } }
    },
    // Full members only view the target (403). A guest cannot see it: an
    // unusable id in the body, like a project that does not exist (422;
    // a 404 would say the task is gone).
    expect: { viewer: 403, member: 403, lead: 403, guestMember: 422 },
  },
  {
    title: 'PATCH /projects/:id',
    method: 'patch',
    build: async (acme, _caller, join) => ({
      url: `/api/v1/projects/${await joinedProjectId(acme, join)}`,
      body: { description: 'Now with a description' },
    }),
    expect: { viewer: 403, member: 403, lead: 200, guestMember: 403 },
  },
  {
    title: 'DELETE /projects/:id',
    method: 'delete',
    build: async (acme, _caller, join) => ({
      url: `/api/v1/projects/${await joinedProjectId(acme, join)}`,
    }),
    expect: { viewer: 403, member: 403, lead: 204, guestMember: 403 },
  },
  {
    title: 'POST /projects/:id/members',
    method: 'post',
    build: async (acme, _caller, join) => ({
      url: `/api/v1/projects/${await joinedProjectId(acme, join)}/members`,
      body: { user_id: await acme.memberId(), role: 'member' },
    }),
    expect: { viewer: 403, member: 403, lead: 201, guestMember: 403 },
  },
  {
    title: 'DELETE /projects/:id/members/:userId',
    method: 'delete',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const { user } = await acme.member()
      await acme.join(projectId, user.id, 'member')
      return { url: `/api/v1/projects/${projectId}/members/${user.id}` }
    },
    expect: { viewer: 403, member: 403, lead: 204, guestMember: 403 },
  },
  {
    title: 'POST /projects/:id/statuses',
    method: 'post',
    build: async (acme, _caller, join) => ({
      url: `/api/v1/projects/${await joinedProjectId(acme, join)}/statuses`,
      body: { name: 'Review', category: 'in_progress' },
    }),
    expect: { viewer: 403, member: 403, lead: 201, guestMember: 403 },
  },
  {
    title: 'POST /tasks/:id/comments',
    method: 'post',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      return {
        url: `/api/v1/tasks/${await acme.taskId(projectId)}/comments`,
        body: { body: 'Looks good' },
      }
    },
    expect: { viewer: 403, member: 201, lead: 201, guestMember: 201 },
  },
  {
    title: "PATCH /comments/:id (another's comment)",
    method: 'patch',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const commentId = await acme.commentId(await acme.taskId(projectId))
      return { url: `/api/v1/comments/${commentId}`, body: { body: 'Edited' } }
    },
    // Only workspace admins change others' comments, not even leads.
    expect: { viewer: 403, member: 403, lead: 403, guestMember: 403 },
  },
  {
    title: "DELETE /comments/:id (another's comment)",
    method: 'delete',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const commentId = await acme.commentId(await acme.taskId(projectId))
      return { url: `/api/v1/comments/${commentId}` }
    },
    expect: { viewer: 403, member: 403, lead: 403, guestMember: 403 },
  },
  {
    title: 'PATCH /comments/:id (its author)',
    method: 'patch',
    build: async (acme, caller, join) => ({
      url: `/api/v1/comments/${await ownCommentId(acme, caller, join)}`,
      body: { body: 'Edited' },
    }),
    // Authors change their words only while they may comment.
    expect: { viewer: 403, member: 200, lead: 200, guestMember: 200 },
  },
  {
    title: 'DELETE /comments/:id (its author)',
    method: 'delete',
    build: async (acme, caller, join) => ({
      url: `/api/v1/comments/${await ownCommentId(acme, caller, join)}`,
    }),
    expect: { viewer: 403, member: 204, lead: 204, guestMember: 204 },
  },

  // Ids of another project of the tenant (one the caller was not added
  // to) under a project the caller has a role in: never reached.
  {
    title: 'PATCH /projects/:id/statuses/:statusId (a status of another project)',
    method: 'patch',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const [status] = await acme.statuses(await acme.projectId())
      return {
        url: `/api/v1/projects/${projectId}/statuses/${status.id}`,
        body: { name: 'Hijacked' },
      }
    },
    expect: { viewer: 403, member: 403, lead: 404, guestMember: 403 },
  },
  {
    title: 'DELETE /projects/:id/statuses/:statusId (a status of another project)',
    method: 'delete',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const [status] = await acme.statuses(await acme.projectId())
      return { url: `/api/v1/projects/${projectId}/statuses/${status.id}` }
    },
    expect: { viewer: 403, member: 403, lead: 404, guestMember: 403 },
  },
  {
    title: 'DELETE /projects/:id/members/:userId (a member of another project only)',
    method: 'delete',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const other = await acme.project()
      const { user } = await acme.member()
      await acme.join(other.id, user.id, 'member')
      return { url: `/api/v1/projects/${projectId}/members/${user.id}` }
    },
    expect: { viewer: 403, member: 403, lead: 404, guestMember: 403 },
  },
  {
    title: 'POST /tasks/:id/move (before a task of another project)',
    method: 'post',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const task = await acme.task(projectId)
      const elsewhere = await acme.task()
      return { url: `/api/v1/tasks/${task.id}/move`, body: { before_id: elsewhere.id } }
    },
    expect: { viewer: 403, member: 422, lead: 422, guestMember: 422 },
  },
  {
    title: "PATCH /tasks/:id (parent_id of another project's task)",
    method: 'patch',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const task = await acme.task(projectId)
      return { url: `/api/v1/tasks/${task.id}`, body: { parent_id: await acme.taskId() } }
    },
    expect: { viewer: 403, member: 422, lead: 422, guestMember: 422 },
  },
  {
    title: 'PUT /tasks/:id/status (a status of another project)',
    method: 'put',
    build: async (acme, _caller, join) => {
      const projectId = await joinedProjectId(acme, join)
      const task = await acme.task(projectId)
      const [status] = await acme.statuses(await acme.projectId())
      return { url: `/api/v1/tasks/${task.id}/status`, body: { status: status.id } }
    },
    expect: { viewer: 403, member: 422, lead: 422, guestMember: 422 },
  },
]

test.group('Authorization matrix: project roles', (group) => {
  group.each.setup(() => resetDatabase())

  for (const route of ROLE_MATRIX) {
    test(route.title, async ({ client, assert }) => {
      const acme = workFixtures(client, await createTenant('acme'))
      const observed: Partial<Record<ProjectActor, number>> = {}
      for (const [actor, { workspaceRole, role }] of Object.entries(PROJECT_ACTORS)) {
        const caller = await acme.member(workspaceRole)
        const join = (projectId: number) => acme.join(projectId, caller.user.id, role)
        const target = await route.build(acme, caller, join)
        const response = await send(client, route.method, acme.tenant.host, target, caller.token)
        observed[actor as ProjectActor] = response.status()
      }
      assert.deepEqual(observed, route.expect)
    }).timeout(30_000)
  }
})
