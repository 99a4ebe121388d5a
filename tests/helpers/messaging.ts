import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import type { UserRole } from '#identity/models/user'
import { LiveUpdates } from '#realtime/services/live_updates'
import type { ChannelResource, MessageResource } from '#messaging/resources'
import { TenantContext } from '#tenancy/tenant_context'
import type { TestTenant } from '#tests/helpers/tenants'
import { as, type Api } from '#tests/helpers/work'

type Body = Record<string, unknown>

/** Resources as the API answers them (the same functions build them). */
export type ChannelData = ChannelResource
export type MessageData = MessageResource

let counter = 0

/** A channel name no other channel of this test run uses. */
export function uniqueChannelName(prefix = 'channel') {
  counter += 1
  return `${prefix}-${counter}`
}

/** A fresh client id for a post. */
export function clientId() {
  counter += 1
  return `client-${counter}`
}

export async function createChannel(api: Api, body: Body = {}) {
  const response = await api.post('/channels', {
    name: uniqueChannelName(),
    type: 'public',
    ...body,
  })
  response.assertStatus(201)
  return response.body().data as ChannelData
}

export async function postMessage(api: Api, channelId: number, body = 'Hello', extra: Body = {}) {
  const response = await api.post(`/channels/${channelId}/messages`, {
    body,
    client_id: clientId(),
    ...extra,
  })
  response.assertStatus(201)
  return response.body().data as MessageData
}

export async function showChannel(api: Api, channelId: number) {
  const response = await api.get(`/channels/${channelId}`)
  response.assertStatus(200)
  return response.body().data as ChannelData
}

/** The channel's last seq: how many changes its messages have had. */
export async function lastSeq(api: Api, channelId: number) {
  const channel = await showChannel(api, channelId)
  return channel.last_seq
}

export async function readMessage(api: Api, messageId: number) {
  const response = await api.get(`/messages/${messageId}`)
  response.assertStatus(200)
  return response.body().data as MessageData
}

/** Every page of the changes feed after `afterSeq`, and the seq the client ends at. */
export async function catchUp(api: Api, channelId: number, afterSeq: number, limit: number) {
  const pages: MessageData[][] = []
  let cursor = afterSeq
  let more = true
  while (more) {
    const response = await api.get(`/channels/${channelId}/messages`, {
      after_seq: cursor,
      limit,
    })
    response.assertStatus(200)
    pages.push(response.body().data)
    cursor = response.body().meta.next_after_seq
    more = response.body().meta.has_more
  }
  return { pages, messages: pages.flat(), lastSeq: cursor }
}

/**
 * Chat data of one tenant, made through its HTTP API (by the owner unless
 * `api` says otherwise), so fixtures pass the same checks as real data.
 */
export function messagingFixtures(client: ApiClient, tenant: TestTenant) {
  const owner = as(client, tenant, tenant.ownerToken)

  const fixtures = {
    tenant,
    owner,

    /** A public channel of the owner (others did not join it). */
    channel: (body: Body = {}, api: Api = owner) => createChannel(api, body),

    async channelId(body: Body = {}, api: Api = owner) {
      const { id } = await fixtures.channel(body, api)
      return id
    },

    /** A message in the given channel, or in a new public channel. */
    async message(channelId?: number, body = 'A message', api: Api = owner) {
      return postMessage(api, channelId ?? (await fixtures.channelId()), body)
    },

    async messageId(channelId?: number, body = 'A message', api: Api = owner) {
      const { id } = await fixtures.message(channelId, body, api)
      return id
    },

    /** A new active member of the workspace with a token. */
    async member(role: UserRole = 'member') {
      const { user, token } = await tenant.member(role)
      return { user, token, api: as(client, tenant, token) }
    },

    /** Adds members to a channel as the owner. */
    async join(channelId: number, ...userIds: number[]) {
      const response = await owner.post(`/channels/${channelId}/members`, { user_ids: userIds })
      if (response.status() !== 200 && response.status() !== 201) {
        response.assertStatus(201)
      }
    },
  }
  return fixtures
}

export type MessagingFixtures = ReturnType<typeof messagingFixtures>

/** The tenant's domain events of the given types, in order. */
export function domainEvents(tenant: TestTenant, types: string[]) {
  return db
    .from(`${tenant.schema}.domain_events`)
    .whereIn('type', types)
    .orderBy('seq')
    .select('type', 'payload', 'actor_id')
}

/** Payloads of the tenant's domain events of the given types, in order. */
export async function eventPayloads(tenant: TestTenant, types: string[]) {
  const events = await domainEvents(tenant, types)
  return events.map((event) => event.payload)
}

/** The tenant's audit entries with these actions, in order. */
export function auditEntries(tenant: TestTenant, actions: string[]) {
  return db
    .from(`${tenant.schema}.audit_events`)
    .whereIn('action', actions)
    .orderBy('seq')
    .select('action', 'actor_id', 'target_type', 'target_id', 'metadata')
}

export interface LiveCall {
  method: 'toChannel' | 'toUsers' | 'leave'
  /** The channel id, the user ids, or the user and room left. */
  target: any
  event: string | null
  payload: unknown
  /**
   * Whether the message the update names, in the state it announces,
   * was visible to another connection as the update went out: false
   * means it was sent before its transaction committed (null: names no
   * message).
   */
  committed: Promise<boolean | null>
}

/**
 * Records what the services hand to LiveUpdates, still passing it on to
 * the gateway. Restored by the test's cleanup.
 */
export async function recordLiveUpdates(cleanup: (fn: () => void) => void) {
  const live = await app.container.make(LiveUpdates)
  const calls: LiveCall[] = []
  const visible = (payload: unknown): Promise<boolean | null> => {
    const data = payload as { id?: number; message_id?: number; channel_id?: number }
    const messageId = data?.message_id ?? (data?.channel_id !== undefined ? data.id : undefined)
    if (messageId === undefined) {
      return Promise.resolve(null)
    }
    const changedSeq = (payload as { changed_seq?: number }).changed_seq
    return db
      .from(TenantContext.table('messages'))
      .where('id', messageId)
      .first()
      .then((row) => row !== null && (changedSeq === undefined || row.changed_seq >= changedSeq))
  }
  const original = {
    toChannel: live.toChannel,
    toUsers: live.toUsers,
    leave: live.leave,
  }
  Object.assign(live, {
    toChannel(channelId: number, event: string, payload: unknown, options?: { except?: string }) {
      calls.push({
        method: 'toChannel',
        target: channelId,
        event,
        payload,
        committed: visible(payload),
      })
      return original.toChannel.call(live, channelId, event, payload, options)
    },
    toUsers(userIds: Iterable<number>, event: string, payload: unknown) {
      const targets = [...userIds]
      calls.push({
        method: 'toUsers',
        target: targets,
        event,
        payload,
        committed: Promise.resolve(null),
      })
      return original.toUsers.call(live, targets, event, payload)
    },
    leave(userId: number, room: string) {
      calls.push({
        method: 'leave',
        target: [userId, room],
        event: null,
        payload: null,
        committed: Promise.resolve(null),
      })
      return original.leave.call(live, userId, room)
    },
  })
  cleanup(() => {
    for (const method of Object.keys(original)) {
      Reflect.deleteProperty(live, method)
    }
  })
  return {
    calls,
    of: (event: string) => calls.filter((call) => call.event === event),
    clear: () => calls.splice(0),
  }
}

export { expectStatus } from '#tests/helpers/http'
