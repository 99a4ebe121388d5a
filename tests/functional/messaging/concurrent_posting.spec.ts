import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { domainEvents, messagingFixtures, type MessageData } from '#tests/helpers/messaging'

/*
 * Posts that arrive together share a transaction (group commit). Under
 * concurrency every post must still get its own outcome: refused posts
 * and repeated client ids fail or answer alone, the rest are stored with
 * contiguous seqs and one event each.
 */
test.group('Messages: concurrent posting', (group) => {
  group.each.setup(() => resetDatabase())

  test('a burst of posts, refusals and retries in two channels: each gets its own answer', async ({
    assert,
    client,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const ann = await acme.member()
    const outsider = await acme.member()
    const general = await acme.channel()
    const random = await acme.channel()
    await acme.join(general.id, ann.user.id)
    await acme.join(random.id, ann.user.id)

    const posts = [general.id, random.id].flatMap((channelId) =>
      Array.from({ length: 15 }, (_, n) =>
        (n % 2 === 0 ? acme.owner : ann.api).post(`/channels/${channelId}/messages`, {
          body: `message ${n}`,
          client_id: `burst-${channelId}-${n}`,
        })
      )
    )
    const retries = [0, 1].map(() =>
      ann.api.post(`/channels/${general.id}/messages`, { body: 'twice', client_id: 'same' })
    )
    const refused = outsider.api.post(`/channels/${general.id}/messages`, {
      body: 'not a member',
      client_id: 'outsider-1',
    })
    const badThread = ann.api.post(`/channels/${random.id}/messages`, {
      body: 'reply to nothing',
      client_id: 'thread-1',
      thread_id: 999_999,
    })
    const answers = await Promise.all([...posts, ...retries, refused, badThread])

    const statuses = answers.map((response) => response.status())
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(201))
    assert.sameMembers(statuses.slice(30, 32), [200, 201])
    assert.deepEqual(statuses.slice(32), [403, 422])
    const [first, second] = answers.slice(30, 32).map((response) => response.body().data)
    assert.equal(first.id, second.id)

    for (const channelId of [general.id, random.id]) {
      const stored = answers
        .map((response) => response.body().data as MessageData | undefined)
        .filter((message) => message?.channel_id === channelId)
      const seqs = [...new Set(stored.map((message) => message!.seq))].sort((x, y) => x - y)
      assert.deepEqual(
        seqs,
        Array.from({ length: seqs.length }, (_, index) => index + 1)
      )
    }
    const events = await domainEvents(acme.tenant, ['message.posted'])
    assert.lengthOf(events, 31)
  })
})
