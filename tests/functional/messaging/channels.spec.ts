import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { allPages } from '#tests/helpers/work'
import { deactivate } from '#tests/helpers/events'
import {
  auditEntries,
  createChannel,
  domainEvents,
  eventPayloads,
  expectStatus,
  messagingFixtures,
  postMessage,
  recordLiveUpdates,
  showChannel,
  type ChannelData,
} from '#tests/helpers/messaging'
import { ChannelAccess } from '#messaging/services/channel_access'
import { rooms } from '#realtime/rooms'
import User from '#identity/models/user'

async function workspace(client: Parameters<typeof messagingFixtures>[0]) {
  return messagingFixtures(client, await createTenant('acme'))
}

test.group('Channels', (group) => {
  group.each.setup(() => resetDatabase())

  test('members create channels they own, with members; names are unique whatever the case', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await workspace(client)
    const alice = await acme.member()
    const bob = await acme.member()
    const live = await recordLiveUpdates(cleanup)

    const response = await alice.api.post('/channels', {
      name: '  Design  ',
      type: 'private',
      topic: 'Pixels',
      member_ids: [bob.user.id, alice.user.id],
    })
    response.assertStatus(201)
    const channel = response.body().data as ChannelData
    assert.containsSubset(channel, {
      type: 'private',
      name: 'Design',
      topic: 'Pixels',
      created_by: alice.user.id,
      role: 'owner',
      last_seq: 0,
      last_read_seq: 0,
      archived: false,
      member_ids: null,
    })
    const members = await allPages<{ user_id: number; role: string }>(
      alice.api,
      `/channels/${channel.id}/members`
    )
    assert.deepEqual(
      members.map(({ user_id: userId, role }) => ({ userId, role })),
      [
        { userId: alice.user.id, role: 'owner' },
        { userId: bob.user.id, role: 'member' },
      ]
    )

    const taken = await acme.owner.post('/channels', { name: 'DESIGN', type: 'public' })
    taken.assertStatus(409)
    assert.equal(errorCode(taken), 'E_CHANNEL_NAME_TAKEN')
    assert.equal(taken.body().errors[0].field, 'name')

    // Announced to each new member's devices after commit, and recorded.
    assert.sameDeepMembers(
      live.of('channel:added').map((call) => call.target),
      [[alice.user.id], [bob.user.id]]
    )
    const added = live.of('channel:added').find((call) => call.target[0] === bob.user.id)!
    assert.containsSubset(added.payload, { id: channel.id, role: 'member' })
    const events = await domainEvents(acme.tenant, ['channel.created', 'channel.member_added'])
    assert.deepEqual(
      events.map((event) => [event.type, event.payload]),
      [
        ['channel.created', { channel_id: channel.id, kind: 'private', name: 'Design' }],
        ['channel.member_added', { channel_id: channel.id, user_id: alice.user.id, role: 'owner' }],
        ['channel.member_added', { channel_id: channel.id, user_id: bob.user.id, role: 'member' }],
      ]
    )
    const [audit] = await auditEntries(acme.tenant, ['channel.created'])
    assert.containsSubset(audit, {
      actor_id: String(alice.user.id),
      target_type: 'channel',
      target_id: String(channel.id),
      metadata: { name: 'Design', kind: 'private', member_ids: [bob.user.id] },
    })
  })

  test('guests cannot create channels, and members may only be active people of the workspace', async ({
    client,
    assert,
  }) => {
    const acme = await workspace(client)
    const guest = await acme.member('guest')
    const gone = await acme.member()
    await deactivate(client, acme.tenant, gone.user.id)

    const byGuest = await guest.api.post('/channels', { name: 'Guests', type: 'public' })
    byGuest.assertStatus(403)
    assert.equal(errorCode(byGuest), 'E_FORBIDDEN')

    for (const memberId of [gone.user.id, 999_999]) {
      const response = await acme.owner.post('/channels', {
        name: 'With a stranger',
        type: 'public',
        member_ids: [memberId],
      })
      response.assertStatus(422)
      assert.deepEqual(response.body().errors[0].field, 'member_ids')
    }
    // Nothing was created by the refused requests.
    assert.lengthOf(await allPages(acme.owner, '/channels'), 0)
    assert.lengthOf(await auditEntries(acme.tenant, ['channel.created']), 0)
  })

  test('private channels and DMs answer 404 to non-members; public ones are read by full members, not guests', async ({
    client,
    assert,
  }) => {
    const acme = await workspace(client)
    const member = await acme.member()
    const admin = await acme.member('admin')
    const guest = await acme.member('guest')
    const secret = await acme.channel({ type: 'private' })
    const open = await acme.channel({ type: 'public' })
    await postMessage(acme.owner, open.id, 'Public words')
    await postMessage(acme.owner, secret.id, 'Secret words')

    for (const caller of [member, admin, guest]) {
      for (const url of [
        `/channels/${secret.id}`,
        `/channels/${secret.id}/messages`,
        `/channels/${secret.id}/members`,
        `/channels/${secret.id}/pins`,
      ]) {
        const response = await caller.api.get(url)
        response.assertStatus(404)
        assert.equal(errorCode(response), 'E_NOT_FOUND')
      }
    }

    const read = await member.api.get(`/channels/${open.id}/messages`)
    read.assertStatus(200)
    assert.deepEqual(
      read.body().data.map((message: { body: string }) => message.body),
      ['Public words']
    )
    const shown = await showChannel(member.api, open.id)
    assert.containsSubset(shown, { role: null, last_read_seq: null, unread_count: null })
    const byGuest = await guest.api.get(`/channels/${open.id}/messages`)
    byGuest.assertStatus(404)

    // Reading is not taking part: posting needs membership.
    const post = await member.api.post(`/channels/${open.id}/messages`, {
      body: 'Hi',
      client_id: 'm-1',
    })
    post.assertStatus(403)
    assert.equal(errorCode(post), 'E_FORBIDDEN')

    // Added to the private channel, a guest sees it and nothing else.
    await acme.join(secret.id, guest.user.id)
    const guestChannels = await allPages<ChannelData>(guest.api, '/channels')
    assert.deepEqual(
      guestChannels.map((channel) => channel.id),
      [secret.id]
    )
    await expectStatus(guest.api.get(`/channels/${secret.id}/messages`), 200)
  })

  test('GET /channels lists my channels with read state; browsable lists public channels to join', async ({
    client,
    assert,
  }) => {
    const acme = await workspace(client)
    const member = await acme.member()
    const guest = await acme.member('guest')
    const mine = await createChannel(member.api, { type: 'private' })
    const joined = await acme.channel()
    await acme.join(joined.id, member.user.id)
    const others = [await acme.channel(), await acme.channel(), await acme.channel()]
    const archived = await acme.channel()
    await expectStatus(acme.owner.patch(`/channels/${archived.id}`, { archived: true }), 200)
    await acme.channel({ type: 'private' })
    const direct = await acme.owner.post('/direct-messages', { user_ids: [member.user.id] })
    direct.assertStatus(201)

    const list = await allPages<ChannelData>(member.api, '/channels', { limit: 1 })
    assert.deepEqual(
      list.map((channel) => [channel.id, channel.role]),
      [
        [mine.id, 'owner'],
        [joined.id, 'member'],
        [direct.body().data.id, 'member'],
      ]
    )
    assert.deepEqual(
      list[2].member_ids,
      [acme.tenant.owner.id, member.user.id].sort((a, b) => a - b)
    )
    assert.isTrue(list.every((channel) => channel.unread_count === 0))

    const browsable = await allPages<ChannelData>(member.api, '/channels', {
      scope: 'browsable',
      limit: 2,
    })
    assert.deepEqual(
      browsable.map((channel) => channel.id),
      others.map((channel) => channel.id)
    )
    const byGuest = await guest.api.get('/channels', { scope: 'browsable' })
    byGuest.assertStatus(403)
  })

  test('channel owners and admins rename, archive and delete; members cannot', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await workspace(client)
    const owner = await acme.member()
    const member = await acme.member()
    const admin = await acme.member('admin')
    const channel = await createChannel(owner.api, { member_ids: [member.user.id] })
    const live = await recordLiveUpdates(cleanup)

    const byMember = await member.api.patch(`/channels/${channel.id}`, { name: 'Mine now' })
    byMember.assertStatus(403)
    assert.equal(errorCode(byMember), 'E_FORBIDDEN')

    const renamed = await owner.api.patch(`/channels/${channel.id}`, {
      name: 'Renamed',
      topic: 'New topic',
    })
    renamed.assertStatus(200)
    assert.containsSubset(renamed.body().data, {
      name: 'Renamed',
      topic: 'New topic',
      role: 'owner',
    })
    const unchanged = await owner.api.patch(`/channels/${channel.id}`, { name: 'Renamed' })
    unchanged.assertStatus(200)

    const archived = await admin.api.patch(`/channels/${channel.id}`, { archived: true })
    archived.assertStatus(200)
    assert.isTrue(archived.body().data.archived)
    const post = await member.api.post(`/channels/${channel.id}/messages`, {
      body: 'Anyone?',
      client_id: 'late',
    })
    post.assertStatus(409)
    assert.equal(errorCode(post), 'E_CHANNEL_ARCHIVED')
    await expectStatus(admin.api.patch(`/channels/${channel.id}`, { archived: false }), 200)
    await postMessage(member.api, channel.id, 'Back again')

    assert.deepEqual(
      live.of('channel:updated').map((call) => (call.payload as ChannelData).name),
      ['Renamed', 'Renamed', 'Renamed']
    )
    const updates = await domainEvents(acme.tenant, ['channel.updated'])
    assert.deepEqual(
      updates.map((event) => event.payload.changes),
      [
        { name: { from: channel.name, to: 'Renamed' }, topic: { from: null, to: 'New topic' } },
        { archived: { from: false, to: true } },
        { archived: { from: true, to: false } },
      ]
    )

    await expectStatus(member.api.delete(`/channels/${channel.id}`), 403)
    const removed = await admin.api.delete(`/channels/${channel.id}`)
    removed.assertStatus(204)
    await expectStatus(owner.api.get(`/channels/${channel.id}`), 404)
    assert.deepEqual(live.of('channel:deleted')[0].payload, { channel_id: channel.id })
    assert.lengthOf(await domainEvents(acme.tenant, ['channel.deleted']), 1)
    const [audit] = await auditEntries(acme.tenant, ['channel.deleted'])
    assert.containsSubset(audit, {
      actor_id: String(admin.user.id),
      target_id: String(channel.id),
      metadata: { name: 'Renamed', kind: 'public', last_seq: 1 },
    })
  })

  test('members add others, a full member joins a public channel alone, guests add nobody', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await workspace(client)
    const member = await acme.member()
    const outsider = await acme.member()
    const newcomer = await acme.member()
    const guest = await acme.member('guest')
    const channel = await acme.channel()
    await postMessage(acme.owner, channel.id, 'Before anyone joined')
    await acme.join(channel.id, member.user.id, guest.user.id)
    const live = await recordLiveUpdates(cleanup)

    const addOther = await outsider.api.post(`/channels/${channel.id}/members`, {
      user_ids: [newcomer.user.id],
    })
    addOther.assertStatus(403)
    const join = await outsider.api.post(`/channels/${channel.id}/members`, {
      user_ids: [outsider.user.id],
    })
    join.assertStatus(201)
    const byGuest = await guest.api.post(`/channels/${channel.id}/members`, {
      user_ids: [newcomer.user.id],
    })
    byGuest.assertStatus(403)
    const byMember = await member.api.post(`/channels/${channel.id}/members`, {
      user_ids: [newcomer.user.id, outsider.user.id],
    })
    byMember.assertStatus(201)
    assert.deepEqual(
      byMember.body().data.map((row: { user_id: number }) => row.user_id),
      [outsider.user.id, newcomer.user.id].sort((a, b) => a - b)
    )
    const again = await member.api.post(`/channels/${channel.id}/members`, {
      user_ids: [newcomer.user.id],
    })
    again.assertStatus(200)

    // A newcomer has read what came before they joined.
    const seen = await showChannel(newcomer.api, channel.id)
    assert.containsSubset(seen, { role: 'member', last_read_seq: 1, unread_count: 0 })

    assert.deepEqual(
      live.of('channel:added').map((call) => call.target),
      [[outsider.user.id], [newcomer.user.id]]
    )
    const audits = await auditEntries(acme.tenant, ['channel.member_added'])
    assert.deepEqual(
      audits.slice(-2).map((entry) => [entry.actor_id, entry.metadata.user_id]),
      [
        [String(outsider.user.id), outsider.user.id],
        [String(member.user.id), newcomer.user.id],
      ]
    )
  })

  test("a member leaves, owners remove others, and the removed member's sockets leave the room", async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await workspace(client)
    const member = await acme.member()
    const other = await acme.member()
    const channel = await acme.channel({ type: 'private' })
    await acme.join(channel.id, member.user.id, other.user.id)
    const live = await recordLiveUpdates(cleanup)

    const byMember = await member.api.delete(`/channels/${channel.id}/members/${other.user.id}`)
    byMember.assertStatus(403)
    await expectStatus(member.api.delete(`/channels/${channel.id}/members/${member.user.id}`), 204)
    await expectStatus(member.api.get(`/channels/${channel.id}`), 404)
    await expectStatus(acme.owner.delete(`/channels/${channel.id}/members/${other.user.id}`), 204)
    const gone = await acme.owner.delete(`/channels/${channel.id}/members/${other.user.id}`)
    gone.assertStatus(404)

    const tenantId = acme.tenant.id
    assert.deepEqual(
      live.calls.map((call) => [call.method, call.event, call.target, call.payload]),
      [
        ['toUsers', 'channel:removed', [member.user.id], { channel_id: channel.id }],
        ['leave', null, [member.user.id, rooms.channel(tenantId, channel.id)], null],
        ['toUsers', 'channel:removed', [other.user.id], { channel_id: channel.id }],
        ['leave', null, [other.user.id, rooms.channel(tenantId, channel.id)], null],
      ]
    )
    const audits = await auditEntries(acme.tenant, ['channel.member_removed'])
    assert.deepEqual(
      audits.map((entry) => entry.metadata),
      [
        { user_id: member.user.id, role: 'member', left: true },
        { user_id: other.user.id, role: 'member', left: false },
      ]
    )
    assert.deepEqual(await eventPayloads(acme.tenant, ['channel.member_removed']), [
      { channel_id: channel.id, user_id: member.user.id },
      { channel_id: channel.id, user_id: other.user.id },
    ])
  })

  test('only members may join a channel room', async ({ client, assert }) => {
    const acme = await workspace(client)
    const member = await acme.member()
    const reader = await acme.member()
    const channel = await acme.channel()
    await acme.join(channel.id, member.user.id)

    const canJoin = (userId: number, channelId: number) =>
      acme.tenant.run(async () =>
        ChannelAccess.canJoinRoom(await User.findOrFail(userId), channelId)
      )
    assert.isTrue(await canJoin(member.user.id, channel.id))
    assert.isTrue(await canJoin(acme.tenant.owner.id, channel.id))
    // A reader of a public channel fetches over REST; live rooms are for members.
    assert.isFalse(await canJoin(reader.user.id, channel.id))
    assert.isFalse(await canJoin(member.user.id, channel.id + 1))
    assert.isFalse(await canJoin(member.user.id, Number.NaN))

    await deactivate(client, acme.tenant, member.user.id)
    assert.isFalse(await canJoin(member.user.id, channel.id))
  })
})
