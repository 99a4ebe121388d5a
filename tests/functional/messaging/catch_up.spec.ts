import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#identity/models/user'
import { MessagePosting } from '#messaging/services/message_posting'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import {
  catchUp,
  expectStatus,
  lastSeq,
  messagingFixtures,
  postMessage,
  readMessage,
  type MessageData,
} from '#tests/helpers/messaging'
import type { Api } from '#tests/helpers/work'

/**
 * A channel whose history has every kind of change: posts, replies
 * (which move their root), an edit, reactions, a pin, a deletion.
 */
async function eventfulChannel(client: Parameters<typeof messagingFixtures>[0]) {
  const acme = messagingFixtures(client, await createTenant('acme'))
  const alice = await acme.member()
  const channel = await acme.channel()
  await acme.join(channel.id, alice.user.id)
  const said: MessageData[] = []
  for (let index = 1; index <= 5; index++) {
    said.push(await postMessage(index % 2 ? acme.owner : alice.api, channel.id, `m${index}`))
  }
  const [m1, m2, m3, m4, m5] = said
  await postMessage(alice.api, channel.id, 'r1', { thread_id: m1.id })
  await expectStatus(alice.api.patch(`/messages/${m2.id}`, { body: 'm2 edited' }), 200)
  await expectStatus(acme.owner.put(`/messages/${m3.id}/reactions/:eyes:`), 201)
  await expectStatus(alice.api.post(`/messages/${m4.id}/pin`), 200)
  await expectStatus(acme.owner.delete(`/messages/${m5.id}`), 204)
  await postMessage(acme.owner, channel.id, 'r2', { thread_id: m1.id })
  await postMessage(acme.owner, channel.id, 'm6')
  return { acme, alice, channel }
}

/** Every message of the channel in its current state, read one by one. */
async function currentStates(api: Api, ids: number[]) {
  const states = new Map<number, MessageData>()
  for (const id of ids) {
    states.set(id, await readMessage(api, id))
  }
  return states
}

test.group('Messages: catch-up feed', (group) => {
  group.each.setup(() => resetDatabase())

  test('returns every message once, in changed_seq order, in its current state, at any page size', async ({
    client,
    assert,
  }) => {
    const { acme, channel } = await eventfulChannel(client)
    const last = await lastSeq(acme.owner, channel.id)
    assert.equal(last, 12)
    const everything = await catchUp(acme.owner, channel.id, 0, 200)
    const ids = everything.messages.map((message) => message.id)
    const truth = await currentStates(acme.owner, ids)

    for (const limit of [1, 2, 3, 5, 200]) {
      const { pages, messages, lastSeq: reached } = await catchUp(acme.owner, channel.id, 0, limit)
      assert.equal(reached, last, `limit ${limit}`)
      assert.sameMembers(
        messages.map((message) => message.id),
        ids
      )
      assert.lengthOf(new Set(messages.map((message) => message.id)), ids.length)
      const seqs = messages.map((message) => message.changed_seq)
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
        `limit ${limit}`
      )
      for (const message of messages) {
        assert.deepEqual(message, truth.get(message.id))
      }
      // A page never ends between two messages of one changed_seq (a
      // reply and its root), or the next page would skip the second.
      for (const [index, page] of pages.entries()) {
        const next = pages[index + 1]?.[0]
        if (next) {
          assert.notEqual(page.at(-1)!.changed_seq, next.changed_seq, `limit ${limit}`)
        }
      }
    }

    // m1 (root) and r2 share r2's seq; the deleted m5 is there as a tombstone.
    const byBody = new Map(everything.messages.map((message) => [message.body, message]))
    const r2 = byBody.get('r2')!
    assert.equal(byBody.get('m1')!.changed_seq, r2.seq)
    assert.isTrue(everything.messages.some((message) => message.deleted))

    // From the middle: exactly what changed after it.
    const middle = 7
    const rest = await catchUp(acme.owner, channel.id, middle, 2)
    assert.sameMembers(
      rest.messages.map((message) => message.id),
      everything.messages
        .filter((message) => message.changed_seq > middle)
        .map((message) => message.id)
    )
    const none = await catchUp(acme.owner, channel.id, last, 10)
    assert.deepEqual([none.messages, none.lastSeq], [[], last])
  })

  test('a client paging while others write misses nothing', async ({ client, assert }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const writers = [await acme.member(), await acme.member(), await acme.member()]
    const channel = await acme.channel()
    await acme.join(channel.id, ...writers.map((writer) => writer.user.id))

    let writing = true
    const work = Promise.all(
      writers.map(async (writer, index) => {
        for (let round = 0; round < 12; round++) {
          const message = await postMessage(writer.api, channel.id, `w${index}-${round}`)
          if (round % 3 === 0) {
            await expectStatus(writer.api.patch(`/messages/${message.id}`, { body: 'edited' }), 200)
          }
          if (round % 4 === 1) {
            await expectStatus(writer.api.put(`/messages/${message.id}/reactions/:+1:`), 201)
          }
        }
      })
    ).finally(() => {
      writing = false
    })

    // The reader applies what it receives, keeping each message's latest state.
    const seen = new Map<number, MessageData>()
    let cursor = 0
    const apply = async () => {
      const { messages, lastSeq: reached } = await catchUp(acme.owner, channel.id, cursor, 4)
      for (const message of messages) {
        assert.isAbove(message.changed_seq, cursor)
        seen.set(message.id, message)
      }
      cursor = reached
    }
    while (writing) {
      await apply()
    }
    await work
    await apply()

    const truth = await catchUp(acme.owner, channel.id, 0, 200)
    assert.lengthOf(truth.messages, 36)
    assert.equal(cursor, await lastSeq(acme.owner, channel.id))
    assert.deepEqual(new Map(truth.messages.map((message) => [message.id, message])), seen)
  }).timeout(60_000)

  test('a post is BEGIN, two statements and COMMIT', async ({ client, assert, cleanup }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const alice = await acme.member()
    const channel = await acme.channel()
    await acme.join(channel.id, alice.user.id)
    const root = await postMessage(acme.owner, channel.id, 'Root')
    const posting = await app.container.make(MessagePosting)
    const sender = await acme.tenant.run(() => User.findOrFail(alice.user.id))

    const statements: string[] = []
    const knex = db.connection().getWriteClient()
    const record = (query: { sql: string }) => statements.push(query.sql.trim().split(/\s+/)[0])
    knex.on('query', record)
    cleanup(() => {
      knex.off('query', record)
    })

    const posts = [
      { body: 'Plain', clientId: 'rt-1' },
      { body: `With <@${acme.tenant.owner.id}> @here`, clientId: 'rt-2' },
      { body: 'A reply', clientId: 'rt-3', threadId: root.id },
    ]
    for (const post of posts) {
      statements.length = 0
      const { created } = await acme.tenant.run(() => posting.post(sender, channel.id, post))
      assert.isTrue(created)
      assert.deepEqual(statements, ['BEGIN;', 'WITH', 'WITH', 'COMMIT;'], post.body)
    }
  })
})
