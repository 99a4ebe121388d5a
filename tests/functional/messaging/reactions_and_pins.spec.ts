import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { allPages } from '#tests/helpers/work'
import {
  eventPayloads,
  expectStatus,
  lastSeq,
  messagingFixtures,
  postMessage,
  readMessage,
  recordLiveUpdates,
  type MessageData,
} from '#tests/helpers/messaging'

async function conversation(client: Parameters<typeof messagingFixtures>[0]) {
  const acme = messagingFixtures(client, await createTenant('acme'))
  const alice = await acme.member()
  const bob = await acme.member()
  const channel = await acme.channel()
  await acme.join(channel.id, alice.user.id, bob.user.id)
  const message = await postMessage(alice.api, channel.id, 'React to me')
  return { acme, alice, bob, channel, message }
}

const reaction = (messageId: number, emoji: string) =>
  `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`

test.group('Messages: reactions', (group) => {
  group.each.setup(() => resetDatabase())

  test('members react; a reaction already there (or already gone) takes no seq and is not announced', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, alice, bob, channel, message } = await conversation(client)
    const live = await recordLiveUpdates(cleanup)

    const first = await bob.api.put(reaction(message.id, '👍'))
    first.assertStatus(201)
    assert.deepEqual(first.body().data.reactions, [
      { emoji: '👍', count: 1, user_ids: [bob.user.id] },
    ])
    assert.equal(first.body().data.changed_seq, 2)
    const repeat = await bob.api.put(reaction(message.id, '👍'))
    repeat.assertStatus(200)
    assert.equal(repeat.body().data.changed_seq, 2)
    await expectStatus(alice.api.put(reaction(message.id, '👍')), 201)
    await expectStatus(alice.api.put(reaction(message.id, ':party_parrot:')), 201)
    await expectStatus(alice.api.put(reaction(message.id, '👨‍👩‍👧')), 201)

    const reacted = await readMessage(bob.api, message.id)
    assert.deepEqual(reacted.reactions, [
      { emoji: '👍', count: 2, user_ids: [bob.user.id, alice.user.id] },
      { emoji: ':party_parrot:', count: 1, user_ids: [alice.user.id] },
      { emoji: '👨‍👩‍👧', count: 1, user_ids: [alice.user.id] },
    ])

    await expectStatus(bob.api.delete(reaction(message.id, '👍')), 204)
    await expectStatus(bob.api.delete(reaction(message.id, '👍')), 204)
    const after = await readMessage(bob.api, message.id)
    assert.deepEqual(after.reactions[0], { emoji: '👍', count: 1, user_ids: [alice.user.id] })
    // Post 1, four additions, one removal; the repeats took nothing.
    assert.equal(after.changed_seq, 6)
    assert.equal(await lastSeq(acme.owner, channel.id), 6)

    assert.deepEqual(
      live.calls.map((call) => [call.event, call.payload]),
      [
        ...[
          [bob.user.id, '👍', 2],
          [alice.user.id, '👍', 3],
          [alice.user.id, ':party_parrot:', 4],
          [alice.user.id, '👨‍👩‍👧', 5],
        ].map(([userId, emoji, changedSeq]) => [
          'reaction:added',
          {
            channel_id: channel.id,
            message_id: message.id,
            user_id: userId,
            emoji,
            changed_seq: changedSeq,
          },
        ]),
        [
          'reaction:removed',
          {
            channel_id: channel.id,
            message_id: message.id,
            user_id: bob.user.id,
            emoji: '👍',
            changed_seq: 6,
          },
        ],
      ]
    )
    assert.isTrue(live.calls.every((call) => call.target === channel.id))
    assert.deepEqual(
      await Promise.all(live.calls.map((call) => call.committed)),
      live.calls.map(() => true)
    )
    assert.lengthOf(await eventPayloads(acme.tenant, ['message.reaction_added']), 4)
    assert.deepEqual(await eventPayloads(acme.tenant, ['message.reaction_removed']), [
      {
        channel_id: channel.id,
        message_id: message.id,
        thread_id: null,
        user_id: bob.user.id,
        emoji: '👍',
        changed_seq: 6,
      },
    ])
  })

  test('only emojis and :short_names:, and at most 50 different ones on a message', async ({
    client,
    assert,
  }) => {
    const { acme, alice, bob, message } = await conversation(client)
    for (const bad of ['a', 'thumbs up', '👍a', ':Nope:', '::', `:${'x'.repeat(63)}:`, '#']) {
      const response = await bob.api.put(reaction(message.id, bad))
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'emoji', bad)
    }

    // Forty-nine others already, straight in the table; the fiftieth fits.
    await acme.tenant.run(() =>
      db.table(`${acme.tenant.schema}.message_reactions`).multiInsert(
        Array.from({ length: 49 }, (_, index) => ({
          message_id: message.id,
          user_id: alice.user.id,
          emoji: `:e${index}:`,
        }))
      )
    )
    await expectStatus(bob.api.put(reaction(message.id, '🎉')), 201)
    const tooMany = await bob.api.put(reaction(message.id, '🚀'))
    tooMany.assertStatus(422)
    assert.equal(errorCode(tooMany), 'E_TOO_MANY_REACTIONS')
    // One already there can still be added by someone else.
    await expectStatus(alice.api.put(reaction(message.id, '🎉')), 201)
    const reacted = await readMessage(alice.api, message.id)
    assert.lengthOf(reacted.reactions, 50)
  })

  test('readers who did not join, and deleted messages, get no reactions', async ({
    client,
    assert,
  }) => {
    const { acme, alice, message } = await conversation(client)
    const reader = await acme.member()
    const byReader = await reader.api.put(reaction(message.id, '👍'))
    byReader.assertStatus(403)
    assert.equal(errorCode(byReader), 'E_FORBIDDEN')
    await expectStatus(alice.api.delete(`/messages/${message.id}`), 204)
    await expectStatus(alice.api.put(reaction(message.id, '👍')), 404)
  })
})

test.group('Messages: pins', (group) => {
  group.each.setup(() => resetDatabase())

  test('any member pins and unpins; pinning twice changes nothing; pins list latest first', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, alice, bob, channel, message } = await conversation(client)
    const later = await postMessage(bob.api, channel.id, 'Later')
    const reader = await acme.member()
    const live = await recordLiveUpdates(cleanup)

    await expectStatus(reader.api.post(`/messages/${message.id}/pin`), 403)
    const pinned = await bob.api.post(`/messages/${message.id}/pin`)
    pinned.assertStatus(200)
    assert.containsSubset(pinned.body().data, {
      pinned: true,
      pinned_by: bob.user.id,
      changed_seq: 3,
    })
    const again = await alice.api.post(`/messages/${message.id}/pin`)
    assert.containsSubset(again.body().data, { pinned_by: bob.user.id, changed_seq: 3 })
    await expectStatus(alice.api.post(`/messages/${later.id}/pin`), 200)

    const pins = await allPages<MessageData>(reader.api, `/channels/${channel.id}/pins`, {
      limit: 1,
    })
    assert.deepEqual(
      pins.map((pin) => pin.id),
      [later.id, message.id]
    )

    await expectStatus(alice.api.delete(`/messages/${message.id}/pin`), 204)
    await expectStatus(alice.api.delete(`/messages/${message.id}/pin`), 204)
    const unpinned = await readMessage(alice.api, message.id)
    assert.containsSubset(unpinned, { pinned: false, pinned_by: null, changed_seq: 5 })

    assert.deepEqual(
      live.calls.map((call) => [call.event, (call.payload as { changed_seq: number }).changed_seq]),
      [
        ['message:pinned', 3],
        ['message:pinned', 4],
        ['message:unpinned', 5],
      ]
    )
    assert.containsSubset(live.calls[0].payload, {
      channel_id: channel.id,
      message_id: message.id,
      pinned_by: bob.user.id,
    })
    const pinEvents = await eventPayloads(acme.tenant, ['message.pinned', 'message.unpinned'])
    assert.deepEqual(
      pinEvents.map((payload) => payload.changed_seq),
      [3, 4, 5]
    )
  })
})
