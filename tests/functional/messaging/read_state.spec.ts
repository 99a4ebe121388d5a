import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { allPages } from '#tests/helpers/work'
import {
  expectStatus,
  messagingFixtures,
  postMessage,
  recordLiveUpdates,
  showChannel,
  type ChannelData,
} from '#tests/helpers/messaging'

test.group('Messaging: read state', (group) => {
  group.each.setup(() => resetDatabase())

  test('unread counts top-level messages of others; mentions count replies too', async ({
    client,
    assert,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const alice = await acme.member()
    const bob = await acme.member()
    const channel = await acme.channel()
    const quiet = await acme.channel()
    await acme.join(channel.id, alice.user.id, bob.user.id)
    await acme.join(quiet.id, alice.user.id)

    const root = await postMessage(bob.api, channel.id, 'One')
    await postMessage(bob.api, channel.id, `Two <@${alice.user.id}>`)
    await postMessage(bob.api, channel.id, 'Reply, not unread', { thread_id: root.id })
    await postMessage(bob.api, channel.id, `Reply mentioning <@${alice.user.id}>`, {
      thread_id: root.id,
    })
    await postMessage(alice.api, channel.id, 'Mine, not unread @channel')
    const deleted = await postMessage(bob.api, channel.id, 'Gone @here')
    await expectStatus(bob.api.delete(`/messages/${deleted.id}`), 204)
    await postMessage(bob.api, channel.id, 'Everyone @channel')

    const list = await allPages<ChannelData>(alice.api, '/channels')
    const counts = (data: ChannelData | undefined) => [data?.unread_count, data?.mention_count]
    assert.deepEqual(counts(list.find((item) => item.id === channel.id)), [3, 3])
    assert.deepEqual(counts(list.find((item) => item.id === quiet.id)), [0, 0])
    assert.deepEqual(counts(await showChannel(alice.api, channel.id)), [3, 3])
    assert.deepEqual(counts(await showChannel(bob.api, channel.id)), [1, 1])

    // Read up to the second message: what remains is after it.
    const read = await alice.api.post(`/channels/${channel.id}/read`, { seq: 2 })
    read.assertStatus(200)
    assert.deepEqual(read.body().data, { channel_id: channel.id, last_read_seq: 2 })
    const afterRead = await showChannel(alice.api, channel.id)
    assert.deepEqual(
      [afterRead.last_read_seq, afterRead.unread_count, afterRead.mention_count],
      [2, 1, 2]
    )
  })

  test('read state only moves forward, up to the last seq, and reaches the reader’s other devices', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const alice = await acme.member()
    const reader = await acme.member()
    const channel = await acme.channel()
    await acme.join(channel.id, alice.user.id)
    for (let index = 0; index < 4; index++) {
      await postMessage(acme.owner, channel.id, `m${index}`)
    }
    const live = await recordLiveUpdates(cleanup)

    await expectStatus(alice.api.post(`/channels/${channel.id}/read`, { seq: 3 }), 200)
    const older = await alice.api.post(`/channels/${channel.id}/read`, { seq: 1 })
    assert.equal(older.body().data.last_read_seq, 3)
    const beyond = await alice.api.post(`/channels/${channel.id}/read`, { seq: 5 })
    beyond.assertStatus(422)
    assert.equal(beyond.body().errors[0].field, 'seq')
    const byReader = await reader.api.post(`/channels/${channel.id}/read`, { seq: 1 })
    byReader.assertStatus(403)
    assert.equal(errorCode(byReader), 'E_FORBIDDEN')
    await expectStatus(reader.api.post('/channels/999999/read', { seq: 0 }), 404)

    assert.deepEqual(
      live.calls.map((call) => [call.method, call.event, call.target, call.payload]),
      [
        ['toUsers', 'channel:read', [alice.user.id], { channel_id: channel.id, last_read_seq: 3 }],
        ['toUsers', 'channel:read', [alice.user.id], { channel_id: channel.id, last_read_seq: 3 }],
      ]
    )
  })
})
