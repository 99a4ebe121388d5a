import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { deactivate } from '#tests/helpers/events'
import {
  eventPayloads,
  expectStatus,
  messagingFixtures,
  postMessage,
  recordLiveUpdates,
  type ChannelData,
} from '#tests/helpers/messaging'

const byId = (a: number, b: number) => a - b

test.group('Direct messages', (group) => {
  group.each.setup(() => resetDatabase())

  test('one conversation per member set, however it is asked for', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const alice = await acme.member()
    const bob = await acme.member()
    const carol = await acme.member()
    const live = await recordLiveUpdates(cleanup)

    const opened = await alice.api.post('/direct-messages', { user_ids: [bob.user.id] })
    opened.assertStatus(201)
    const dm = opened.body().data as ChannelData
    const pair = [alice.user.id, bob.user.id].sort(byId)
    assert.containsSubset(dm, { type: 'direct', name: null, member_ids: pair, role: 'member' })

    for (const [api, userIds] of [
      [bob.api, [alice.user.id]],
      [alice.api, [bob.user.id, alice.user.id]],
    ] as const) {
      const again = await api.post('/direct-messages', { user_ids: userIds })
      again.assertStatus(200)
      assert.equal(again.body().data.id, dm.id)
    }

    const group3 = await carol.api.post('/direct-messages', {
      user_ids: [bob.user.id, alice.user.id],
    })
    group3.assertStatus(201)
    assert.notEqual(group3.body().data.id, dm.id)
    assert.deepEqual(
      group3.body().data.member_ids,
      [alice.user.id, bob.user.id, carol.user.id].sort(byId)
    )

    // Two clients opening a new conversation at once get the same one.
    const dave = await acme.member()
    const racing = await Promise.all(
      [alice, alice, dave].map((caller) =>
        caller.api.post('/direct-messages', {
          user_ids: caller === dave ? [alice.user.id] : [dave.user.id],
        })
      )
    )
    assert.sameMembers(
      racing.map((response) => response.status()),
      [201, 200, 200]
    )
    assert.lengthOf(new Set(racing.map((response) => response.body().data.id)), 1)

    assert.deepEqual(
      live.of('channel:added').map((call) => call.target),
      [
        pair,
        [alice.user.id, bob.user.id, carol.user.id].sort(byId),
        [alice.user.id, dave.user.id].sort(byId),
      ]
    )
    const created = await eventPayloads(acme.tenant, ['channel.created'])
    assert.deepEqual(created[0], { channel_id: dm.id, kind: 'direct', name: null })
    assert.lengthOf(created, 3)
  })

  test('2 to 9 active members, the caller included', async ({ client, assert }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const people = []
    for (let index = 0; index < 9; index++) {
      people.push(await acme.member())
    }
    const gone = people.pop()!
    await deactivate(client, acme.tenant, gone.user.id)
    const [caller, ...others] = people

    const nine = await caller.api.post('/direct-messages', {
      user_ids: [...others.map((other) => other.user.id), acme.tenant.owner.id],
    })
    nine.assertStatus(201)
    assert.lengthOf(nine.body().data.member_ids, 9)

    const refused = [
      [caller.user.id],
      [...others.map((other) => other.user.id), acme.tenant.owner.id, gone.user.id],
      [gone.user.id],
      [999_999],
    ]
    for (const userIds of refused) {
      const response = await caller.api.post('/direct-messages', { user_ids: userIds })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'user_ids')
    }
  })

  test('guests write only to people they share a channel with', async ({ client, assert }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const guest = await acme.member('guest')
    const colleague = await acme.member()
    const stranger = await acme.member()
    const project = await acme.channel({ type: 'private' })
    await acme.join(project.id, guest.user.id, colleague.user.id)

    const toStranger = await guest.api.post('/direct-messages', { user_ids: [stranger.user.id] })
    toStranger.assertStatus(422)
    assert.equal(toStranger.body().errors[0].field, 'user_ids')
    const withStranger = await guest.api.post('/direct-messages', {
      user_ids: [colleague.user.id, stranger.user.id],
    })
    withStranger.assertStatus(422)
    await expectStatus(guest.api.post('/direct-messages', { user_ids: [colleague.user.id] }), 201)
    // Someone else may start a conversation with the guest.
    await expectStatus(stranger.api.post('/direct-messages', { user_ids: [guest.user.id] }), 201)
  })

  test('a conversation is private to its members and its membership is fixed', async ({
    client,
    assert,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const alice = await acme.member()
    const bob = await acme.member()
    const admin = await acme.member('admin')
    const opened = await alice.api.post('/direct-messages', { user_ids: [bob.user.id] })
    const dm = opened.body().data as ChannelData
    const message = await postMessage(bob.api, dm.id, 'Just us')

    for (const caller of [admin, acme]) {
      const api = 'api' in caller ? caller.api : caller.owner
      await expectStatus(api.get(`/channels/${dm.id}`), 404)
      await expectStatus(api.get(`/channels/${dm.id}/messages`), 404)
      await expectStatus(api.get(`/messages/${message.id}`), 404)
      await expectStatus(api.delete(`/messages/${message.id}`), 404)
    }

    const attempts = [
      alice.api.patch(`/channels/${dm.id}`, { topic: 'Ours' }),
      alice.api.delete(`/channels/${dm.id}`),
      alice.api.post(`/channels/${dm.id}/members`, { user_ids: [admin.user.id] }),
      alice.api.delete(`/channels/${dm.id}/members/${bob.user.id}`),
      alice.api.delete(`/channels/${dm.id}/members/${alice.user.id}`),
    ]
    for (const response of await Promise.all(attempts)) {
      response.assertStatus(403)
      assert.equal(errorCode(response), 'E_FORBIDDEN')
    }
    await expectStatus(alice.api.get(`/channels/${dm.id}/messages`), 200)
  })
})
