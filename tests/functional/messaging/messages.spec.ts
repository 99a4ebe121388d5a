import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { allPages } from '#tests/helpers/work'
import {
  auditEntries,
  clientId,
  domainEvents,
  eventPayloads,
  readMessage,
  lastSeq,
  expectStatus,
  messagingFixtures,
  postMessage,
  recordLiveUpdates,
  type MessageData,
} from '#tests/helpers/messaging'

async function channelWithMembers(client: Parameters<typeof messagingFixtures>[0], count = 2) {
  const acme = messagingFixtures(client, await createTenant('acme'))
  const members = []
  for (let index = 0; index < count; index++) {
    members.push(await acme.member())
  }
  const channel = await acme.channel()
  if (members.length > 0) {
    await acme.join(channel.id, ...members.map((member) => member.user.id))
  }
  return { acme, channel, members }
}

test.group('Messages: posting', (group) => {
  group.each.setup(() => resetDatabase())

  test('concurrent posts take contiguous seqs, each announced after commit with its event', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 3)
    const live = await recordLiveUpdates(cleanup)

    const posted = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        postMessage(members[index % 3].api, channel.id, `Message ${index}`)
      )
    )
    assert.deepEqual(
      posted.map((message) => message.seq).sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, index) => index + 1)
    )
    assert.isTrue(posted.every((message) => message.changed_seq === message.seq))
    assert.equal(await lastSeq(acme.owner, channel.id), 30)

    const announced = live.of('message:new')
    assert.sameMembers(
      announced.map((call) => (call.payload as MessageData).id),
      posted.map((message) => message.id)
    )
    assert.isTrue(announced.every((call) => call.target === channel.id))
    assert.deepEqual(
      await Promise.all(announced.map((call) => call.committed)),
      announced.map(() => true)
    )

    const events = await domainEvents(acme.tenant, ['message.posted'])
    assert.lengthOf(events, 30)
    const first = posted.find((message) => message.seq === 1)!
    assert.deepEqual(events.find((event) => event.payload.seq === 1)!.payload, {
      channel_id: channel.id,
      message_id: first.id,
      seq: 1,
      thread_id: null,
      sender_id: first.sender_id,
      mention_ids: [],
      mentions_channel: false,
    })
  })

  test('a retried client_id gets the stored message (200), takes no seq and is not announced', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 2)
    const [alice, bob] = members
    const first = await alice.api.post(`/channels/${channel.id}/messages`, {
      body: 'Once',
      client_id: 'retry-me',
    })
    first.assertStatus(201)
    const live = await recordLiveUpdates(cleanup)

    const retries = await Promise.all(
      [1, 2, 3].map(() =>
        alice.api.post(`/channels/${channel.id}/messages`, {
          body: 'Once',
          client_id: 'retry-me',
        })
      )
    )
    for (const retry of retries) {
      retry.assertStatus(200)
      assert.deepEqual(retry.body().data, first.body().data)
    }
    // Same id from another sender is another message.
    const other = await postMessage(bob.api, channel.id, 'Mine', { client_id: 'retry-me' })
    assert.equal(other.seq, 2)
    // Concurrent first attempts: one message, one 201.
    const racing = await Promise.all(
      [1, 2, 3, 4].map(() =>
        alice.api.post(`/channels/${channel.id}/messages`, { body: 'Race', client_id: 'race' })
      )
    )
    assert.sameMembers(
      racing.map((response) => response.status()),
      [201, 200, 200, 200]
    )
    assert.lengthOf(new Set(racing.map((response) => response.body().data.id)), 1)
    assert.equal(await lastSeq(acme.owner, channel.id), 3)
    assert.lengthOf(live.of('message:new'), 2)
    assert.lengthOf(await domainEvents(acme.tenant, ['message.posted']), 3)
  })

  test('only members post; bodies are 1 to 40,000 characters after trimming', async ({
    client,
    assert,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 1)
    const reader = await acme.member()
    const secret = await acme.channel({ type: 'private' })

    const byReader = await reader.api.post(`/channels/${channel.id}/messages`, {
      body: 'Hi',
      client_id: 'r',
    })
    byReader.assertStatus(403)
    const hidden = await members[0].api.post(`/channels/${secret.id}/messages`, {
      body: 'Hi',
      client_id: 'h',
    })
    hidden.assertStatus(404)
    const missing = await members[0].api.post('/channels/999999/messages', {
      body: 'Hi',
      client_id: 'x',
    })
    missing.assertStatus(404)

    const trimmed = await postMessage(members[0].api, channel.id, '  padded  ')
    assert.equal(trimmed.body, 'padded')
    const longest = await postMessage(members[0].api, channel.id, 'x'.repeat(40_000))
    assert.lengthOf(longest.body!, 40_000)
    for (const body of ['   ', 'x'.repeat(40_001)]) {
      const response = await members[0].api.post(`/channels/${channel.id}/messages`, {
        body,
        client_id: clientId(),
      })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'body')
    }
    assert.equal(await lastSeq(acme.owner, channel.id), 2)
  })

  test('mentions keep channel members only; @channel and @here call everyone', async ({
    client,
    assert,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 2)
    const [alice, bob] = members
    const outsider = await acme.member()

    const message = await postMessage(
      alice.api,
      channel.id,
      `<@${bob.user.id}> <@${outsider.user.id}> <@999999> and <@${acme.tenant.owner.id}> twice <@${bob.user.id}>`
    )
    assert.deepEqual(
      message.mention_ids,
      [acme.tenant.owner.id, bob.user.id].sort((a, b) => a - b)
    )
    assert.isFalse(message.mentions_channel)
    for (const body of ['@channel look', 'hey @here!', '@HERE']) {
      const calling = await postMessage(alice.api, channel.id, body)
      assert.isTrue(calling.mentions_channel, body)
    }
    for (const body of ['mail me at me@here.com', '@channels', 'x@channel']) {
      const plain = await postMessage(alice.api, channel.id, body)
      assert.isFalse(plain.mentions_channel, body)
    }
  })

  test('thread replies stay one level deep in their channel and move their root', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 1)
    const [alice] = members
    const root = await postMessage(acme.owner, channel.id, 'Root')
    await postMessage(acme.owner, channel.id, 'Unrelated')
    const live = await recordLiveUpdates(cleanup)

    const first = await postMessage(alice.api, channel.id, 'First reply', { thread_id: root.id })
    const second = await postMessage(acme.owner, channel.id, 'Second reply', { thread_id: root.id })
    assert.deepEqual([first.thread_id, first.seq, second.seq], [root.id, 3, 4])

    const rootNow = await readMessage(acme.owner, root.id)
    assert.deepEqual([rootNow.reply_count, rootNow.changed_seq, rootNow.seq], [2, 4, 1])
    assert.deepEqual(
      live.of('message:new').map((call) => (call.payload as MessageData).id),
      [first.id, second.id]
    )

    const otherChannel = await acme.channel()
    const elsewhere = await postMessage(acme.owner, otherChannel.id, 'Elsewhere')
    const refused = [{ thread_id: first.id }, { thread_id: elsewhere.id }, { thread_id: 999_999 }]
    for (const extra of refused) {
      const response = await alice.api.post(`/channels/${channel.id}/messages`, {
        body: 'Nested?',
        client_id: clientId(),
        ...extra,
      })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'thread_id')
    }
    await expectStatus(acme.owner.delete(`/messages/${root.id}`), 204)
    const onTombstone = await alice.api.post(`/channels/${channel.id}/messages`, {
      body: 'Late reply',
      client_id: clientId(),
      thread_id: root.id,
    })
    onTombstone.assertStatus(422)
    // No refused reply used a seq: root 1, unrelated 2, replies 3 and 4, the deletion 5.
    assert.equal(await lastSeq(acme.owner, channel.id), 5)

    const thread = await acme.owner.get(`/channels/${channel.id}/messages`, { thread_id: root.id })
    thread.assertStatus(200)
    assert.deepEqual(
      thread.body().data.map((message: MessageData) => message.body),
      ['First reply', 'Second reply']
    )
    const topLevel = await acme.owner.get(`/channels/${channel.id}/messages`)
    assert.deepEqual(
      topLevel.body().data.map((message: MessageData) => [message.seq, message.deleted]),
      [
        [2, false],
        [1, true],
      ]
    )
  })

  test('scrollback pages the top level newest first, a thread oldest first', async ({
    client,
    assert,
  }) => {
    const { acme, channel } = await channelWithMembers(client, 0)
    const root = await postMessage(acme.owner, channel.id, 'm1')
    for (let index = 2; index <= 7; index++) {
      await postMessage(acme.owner, channel.id, `m${index}`)
      await postMessage(acme.owner, channel.id, `r${index}`, { thread_id: root.id })
    }

    const seen: string[] = []
    let before: number | null = null
    do {
      const response = await acme.owner.get(
        `/channels/${channel.id}/messages`,
        before === null ? { limit: 3 } : { limit: 3, before_seq: before }
      )
      response.assertStatus(200)
      seen.push(...response.body().data.map((message: MessageData) => message.body))
      before = response.body().meta.next_before_seq
      assert.equal(response.body().meta.has_more, before !== null)
    } while (before !== null)
    assert.deepEqual(seen, ['m7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1'])

    const replies: string[] = []
    let after: number | null = 0
    while (after !== null) {
      const response = await acme.owner.get(`/channels/${channel.id}/messages`, {
        thread_id: root.id,
        after_seq: after,
        limit: 4,
      })
      replies.push(...response.body().data.map((message: MessageData) => message.body))
      after = response.body().meta.next_after_seq
    }
    assert.deepEqual(replies, ['r2', 'r3', 'r4', 'r5', 'r6', 'r7'])
  })
})

test.group('Messages: edits and deletion', (group) => {
  group.each.setup(() => resetDatabase())

  test('authors edit; each edit keeps the previous text, takes a seq and is announced', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 2)
    const [alice, bob] = members
    const message = await postMessage(alice.api, channel.id, 'First')
    const live = await recordLiveUpdates(cleanup)

    const byOther = await bob.api.patch(`/messages/${message.id}`, { body: 'Hijacked' })
    byOther.assertStatus(403)
    const byAdmin = await acme.owner.patch(`/messages/${message.id}`, { body: 'Moderated' })
    byAdmin.assertStatus(403)

    const second = await alice.api.patch(`/messages/${message.id}`, {
      body: `Second <@${bob.user.id}> @here`,
    })
    second.assertStatus(200)
    assert.containsSubset(second.body().data, {
      body: `Second <@${bob.user.id}> @here`,
      seq: 1,
      changed_seq: 2,
      mention_ids: [bob.user.id],
      mentions_channel: true,
    })
    assert.isNotNull(second.body().data.edited_at)
    const same = await alice.api.patch(`/messages/${message.id}`, {
      body: `  Second <@${bob.user.id}> @here `,
    })
    same.assertStatus(200)
    assert.equal(same.body().data.changed_seq, 2)
    const third = await alice.api.patch(`/messages/${message.id}`, { body: 'Third' })
    assert.equal(third.body().data.changed_seq, 3)

    const revisions = await allPages<{ body: string; edited_by: number }>(
      bob.api,
      `/messages/${message.id}/revisions`,
      { limit: 1 }
    )
    assert.deepEqual(
      revisions.map((revision) => [revision.body, revision.edited_by]),
      [
        ['First', alice.user.id],
        [`Second <@${bob.user.id}> @here`, alice.user.id],
      ]
    )
    const edits = live.of('message:edited')
    assert.deepEqual(
      edits.map((call) => (call.payload as MessageData).changed_seq),
      [2, 3]
    )
    assert.deepEqual(await Promise.all(edits.map((call) => call.committed)), [true, true])
    assert.deepEqual(await eventPayloads(acme.tenant, ['message.edited']), [
      {
        channel_id: channel.id,
        message_id: message.id,
        thread_id: null,
        seq: 1,
        changed_seq: 2,
        mention_ids: [bob.user.id],
        mentions_channel: true,
      },
      {
        channel_id: channel.id,
        message_id: message.id,
        thread_id: null,
        seq: 1,
        changed_seq: 3,
        mention_ids: [],
        mentions_channel: false,
      },
    ])
  })

  test('authors keep reading the history of their words after leaving; others need the channel', async ({
    client,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const author = await acme.member()
    const other = await acme.member()
    const channel = await acme.channel({ type: 'private' })
    await acme.join(channel.id, author.user.id, other.user.id)
    const message = await postMessage(author.api, channel.id, 'Draft')
    await expectStatus(author.api.patch(`/messages/${message.id}`, { body: 'Final' }), 200)
    for (const { user, api } of [author, other]) {
      await expectStatus(api.delete(`/channels/${channel.id}/members/${user.id}`), 204)
    }

    await expectStatus(author.api.get(`/messages/${message.id}/revisions`), 200)
    await expectStatus(author.api.get(`/messages/${message.id}`), 404)
    await expectStatus(other.api.get(`/messages/${message.id}/revisions`), 404)
  })

  test('deletion leaves a tombstone without text, revisions or reactions', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, channel, members } = await channelWithMembers(client, 2)
    const [alice, bob] = members
    const message = await postMessage(alice.api, channel.id, `Oops <@${bob.user.id}>`)
    await alice.api.patch(`/messages/${message.id}`, { body: 'Oops, edited' })
    await expectStatus(
      bob.api.put(`/messages/${message.id}/reactions/${encodeURIComponent('👍')}`),
      201
    )
    await expectStatus(bob.api.post(`/messages/${message.id}/pin`), 200)
    const live = await recordLiveUpdates(cleanup)

    await expectStatus(bob.api.delete(`/messages/${message.id}`), 403)
    await expectStatus(alice.api.delete(`/messages/${message.id}`), 204)

    const tombstone = await readMessage(bob.api, message.id)
    assert.containsSubset(tombstone, {
      deleted: true,
      body: null,
      mention_ids: [],
      reactions: [],
      pinned: false,
      seq: 1,
      changed_seq: 5,
    })
    await expectStatus(bob.api.get(`/messages/${message.id}/revisions`), 404)
    await expectStatus(alice.api.patch(`/messages/${message.id}`, { body: 'Back' }), 404)
    await expectStatus(alice.api.delete(`/messages/${message.id}`), 404)
    const pins = await bob.api.get(`/channels/${channel.id}/pins`)
    assert.lengthOf(pins.body().data, 0)

    assert.deepEqual(live.of('message:deleted')[0].payload, {
      channel_id: channel.id,
      message_id: message.id,
      seq: 1,
      changed_seq: 5,
    })
    assert.isTrue(await live.of('message:deleted')[0].committed)
    // Authors deleting their own words is not moderation.
    assert.lengthOf(await auditEntries(acme.tenant, ['message.deleted']), 0)
  })

  test('channel owners and workspace admins delete others’ messages, audited', async ({
    client,
    assert,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const channelOwner = await acme.member()
    const admin = await acme.member('admin')
    const author = await acme.member()
    const channel = await acme.channel({ member_ids: [author.user.id] }, channelOwner.api)
    const first = await postMessage(author.api, channel.id, 'One')
    const second = await postMessage(author.api, channel.id, 'Two')

    await expectStatus(channelOwner.api.delete(`/messages/${first.id}`), 204)
    // An admin moderates a public channel they can read without joining.
    await expectStatus(admin.api.delete(`/messages/${second.id}`), 204)

    const audits = await auditEntries(acme.tenant, ['message.deleted'])
    assert.deepEqual(
      audits.map((entry) => [entry.actor_id, entry.target_id, entry.metadata]),
      [
        [
          String(channelOwner.user.id),
          String(first.id),
          { channel_id: channel.id, sender_id: author.user.id },
        ],
        [
          String(admin.user.id),
          String(second.id),
          { channel_id: channel.id, sender_id: author.user.id },
        ],
      ]
    )
    assert.lengthOf(await domainEvents(acme.tenant, ['message.deleted']), 2)
  })

  test('an archived channel is read-only', async ({ client, assert }) => {
    const { acme, channel, members } = await channelWithMembers(client, 1)
    const message = await postMessage(members[0].api, channel.id, 'Before')
    await expectStatus(acme.owner.patch(`/channels/${channel.id}`, { archived: true }), 200)

    const attempts = [
      members[0].api.patch(`/messages/${message.id}`, { body: 'After' }),
      members[0].api.delete(`/messages/${message.id}`),
      members[0].api.put(`/messages/${message.id}/reactions/:tada:`),
      members[0].api.post(`/messages/${message.id}/pin`),
    ]
    for (const response of await Promise.all(attempts)) {
      response.assertStatus(409)
      assert.equal(errorCode(response), 'E_CHANNEL_ARCHIVED')
    }
    const read = await members[0].api.get(`/messages/${message.id}`)
    assert.equal(read.body().data.body, 'Before')
    assert.equal(await lastSeq(acme.owner, channel.id), 1)
  })
})
