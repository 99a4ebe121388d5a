import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import type { Api } from '#tests/helpers/work'
import {
  createChannel,
  messagingFixtures,
  postMessage,
  type MessagingFixtures,
} from '#tests/helpers/messaging'

/*
 * What members of a channel may do there, by their role in it: a full
 * member who joined, the channel's owner (its creator), a guest who was
 * added. Workspace roles are covered by the authorization matrix.
 */
type ChannelActor = 'member' | 'owner' | 'guestMember'

interface Caller {
  user: { id: number }
  api: Api
}

interface Scene {
  channelId: number
  caller: Caller
  /** A message of the workspace owner in the channel. */
  othersMessageId: number
}

interface RoleCase {
  title: string
  act: (scene: Scene, acme: MessagingFixtures) => Promise<{ status: () => number }>
  expect: Record<ChannelActor, number>
}

/** A channel in which the caller has their role; the workspace owner is in it too. */
async function scene(acme: MessagingFixtures, actor: ChannelActor): Promise<Scene> {
  const caller = await acme.member(actor === 'guestMember' ? 'guest' : 'member')
  let channelId: number
  if (actor === 'owner') {
    const channel = await createChannel(caller.api, { member_ids: [acme.tenant.owner.id] })
    channelId = channel.id
  } else {
    channelId = await acme.channelId()
    await acme.join(channelId, caller.user.id)
  }
  const { id } = await postMessage(acme.owner, channelId, 'The owner speaks')
  return { channelId, caller, othersMessageId: id }
}

const CASES: RoleCase[] = [
  {
    title: 'post a message',
    act: ({ channelId, caller }) =>
      caller.api.post(`/channels/${channelId}/messages`, { body: 'Hi', client_id: 'roles' }),
    expect: { member: 201, owner: 201, guestMember: 201 },
  },
  {
    title: 'rename the channel',
    act: ({ channelId, caller }) => caller.api.patch(`/channels/${channelId}`, { topic: 'Mine' }),
    expect: { member: 403, owner: 200, guestMember: 403 },
  },
  {
    title: 'delete the channel',
    act: ({ channelId, caller }) => caller.api.delete(`/channels/${channelId}`),
    expect: { member: 403, owner: 204, guestMember: 403 },
  },
  {
    title: 'add someone',
    act: async ({ channelId, caller }, acme) => {
      const { user } = await acme.member()
      return caller.api.post(`/channels/${channelId}/members`, { user_ids: [user.id] })
    },
    expect: { member: 201, owner: 201, guestMember: 403 },
  },
  {
    title: 'remove someone else',
    act: async ({ channelId, caller }, acme) => {
      const { user } = await acme.member()
      await acme.join(channelId, user.id)
      return caller.api.delete(`/channels/${channelId}/members/${user.id}`)
    },
    expect: { member: 403, owner: 204, guestMember: 403 },
  },
  {
    title: 'leave',
    act: ({ channelId, caller }) =>
      caller.api.delete(`/channels/${channelId}/members/${caller.user.id}`),
    expect: { member: 204, owner: 204, guestMember: 204 },
  },
  {
    title: "edit another's message",
    act: ({ othersMessageId, caller }) =>
      caller.api.patch(`/messages/${othersMessageId}`, { body: 'Edited' }),
    expect: { member: 403, owner: 403, guestMember: 403 },
  },
  {
    title: "delete another's message",
    act: ({ othersMessageId, caller }) => caller.api.delete(`/messages/${othersMessageId}`),
    expect: { member: 403, owner: 204, guestMember: 403 },
  },
  {
    title: 'edit and delete their own message',
    act: async ({ channelId, caller }) => {
      const { id } = await postMessage(caller.api, channelId, 'Mine')
      const edited = await caller.api.patch(`/messages/${id}`, { body: 'Mine, edited' })
      edited.assertStatus(200)
      return caller.api.delete(`/messages/${id}`)
    },
    expect: { member: 204, owner: 204, guestMember: 204 },
  },
  {
    title: 'react, pin and mark read',
    act: async ({ channelId, othersMessageId, caller }) => {
      const reacted = await caller.api.put(`/messages/${othersMessageId}/reactions/:ok:`)
      reacted.assertStatus(201)
      const pinned = await caller.api.post(`/messages/${othersMessageId}/pin`)
      pinned.assertStatus(200)
      return caller.api.post(`/channels/${channelId}/read`, { seq: 1 })
    },
    expect: { member: 200, owner: 200, guestMember: 200 },
  },
]

test.group('Channel roles', (group) => {
  group.each.setup(() => resetDatabase())

  for (const roleCase of CASES) {
    test(roleCase.title, async ({ client, assert }) => {
      const acme = messagingFixtures(client, await createTenant('acme'))
      const observed: Partial<Record<ChannelActor, number>> = {}
      for (const actor of Object.keys(roleCase.expect) as ChannelActor[]) {
        const response = await roleCase.act(await scene(acme, actor), acme)
        observed[actor] = response.status()
      }
      assert.deepEqual(observed, roleCase.expect)
    }).timeout(30_000)
  }
})
