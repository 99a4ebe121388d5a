import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { EventOutbox } from '#events/event_outbox'
import { EventSubscribers } from '#events/event_subscribers'
import { MemberDeactivated } from '#identity/events'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import {
  deactivate,
  deactivateNewMembers,
  deliveredSeqs,
  recordingSubscriber,
  startDispatcher,
} from '#tests/helpers/events'
import { eventually } from '#tests/helpers/wait'

function events(tenant: TestTenant) {
  return db.from(`${tenant.schema}.domain_events`).orderBy('seq')
}

test.group('Domain events: outbox', (group) => {
  group.each.setup(() => resetDatabase())

  test('an event is stored exactly when its change commits', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const { user } = await acme.member('member')
    await deactivate(client, acme, user.id)

    const stored = await events(acme)
    assert.lengthOf(stored, 1)
    assert.equal(stored[0].type, 'member.deactivated')
    assert.deepEqual(stored[0].payload, { member_id: user.id })
    assert.equal(stored[0].actor_id, String(acme.owner.id))

    // Refused change (the last owner cannot be demoted): no event.
    const refused = await client
      .patch(`/api/v1/members/${acme.owner.id}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ role: 'member' })
    refused.assertStatus(409)

    // Rolled-back transaction: no event.
    await assert.rejects(() =>
      acme.run(() =>
        db.transaction(async (trx) => {
          await EventOutbox.append(trx, [new MemberDeactivated({ member_id: 1 }, 1)])
          throw new Error('roll back')
        })
      )
    )
    assert.lengthOf(await events(acme), 1)
  })

  test('delivers in commit order, with the tenant bound, to each tenant apart', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const feed = recordingSubscriber('feed', ['member.*'])
    const dispatcher = await startDispatcher([feed.subscriber])
    cleanup(() => dispatcher.stop())

    const members = await Promise.all(Array.from({ length: 8 }, () => acme.member('member')))
    const other = await globex.member('member')
    await Promise.all([
      ...members.map(({ user }) => deactivate(client, acme, user.id)),
      deactivate(client, globex, other.user.id),
    ])

    assert.isTrue(await eventually(async () => feed.received.length === 9, 5_000))
    const acmeEvents = feed.received.filter(({ event }) => event.tenantId === acme.id)
    assert.deepEqual(
      acmeEvents.map(({ event }) => event.seq),
      [1, 2, 3, 4, 5, 6, 7, 8]
    )
    assert.sameMembers(
      acmeEvents.map(({ event }) => event.payload.member_id as number),
      members.map(({ user }) => user.id)
    )
    for (const { event, boundTenantId } of feed.received) {
      assert.equal(boundTenantId, event.tenantId)
    }
    const globexEvents = feed.received.filter(({ event }) => event.tenantId === globex.id)
    assert.deepEqual(
      globexEvents.map(({ event }) => event.payload),
      [{ member_id: other.user.id }]
    )
  })

  test('two nodes running dispatchers deliver each event once, in order', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const onA = recordingSubscriber('feed', ['*'])
    const onB = recordingSubscriber('feed', ['*'])
    const nodeA = await startDispatcher([onA.subscriber])
    const nodeB = await startDispatcher([onB.subscriber])
    cleanup(async () => {
      await nodeA.stop()
      await nodeB.stop()
    })

    await deactivateNewMembers(client, acme, 12)

    const delivered = () => deliveredSeqs(onA, onB)
    assert.isTrue(await eventually(async () => delivered().length >= 12, 5_000))
    await nodeA.idle()
    await nodeB.idle()
    assert.deepEqual(
      delivered(),
      Array.from({ length: 12 }, (_, index) => index + 1)
    )
    for (const node of [onA, onB]) {
      const seqs = node.received.map(({ event }) => event.seq)
      assert.deepEqual(
        seqs,
        [...seqs].sort((x, y) => x - y)
      )
    }
  })

  test('events committed while no dispatcher ran are delivered when one starts', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { user } = await acme.member('member')
    await deactivate(client, acme, user.id)

    const feed = recordingSubscriber('feed', ['*'])
    const dispatcher = await startDispatcher([feed.subscriber])
    cleanup(() => dispatcher.stop())
    assert.isTrue(await eventually(async () => feed.received.length === 1))
  })

  test('a delivery whose cursor was not saved (crash) is delivered again', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const { user } = await acme.member('member')
    await deactivate(client, acme, user.id)

    const first = recordingSubscriber('feed', ['*'])
    const before = await startDispatcher([first.subscriber])
    assert.isTrue(await eventually(async () => first.received.length === 1))
    await before.stop()

    // The process died after the handler ran, before the cursor moved.
    await db.rawQuery(`UPDATE ${acme.schema}.event_subscriber_cursors SET last_seq = 0`)

    const second = recordingSubscriber('feed', ['*'])
    const after = await startDispatcher([second.subscriber])
    assert.isTrue(await eventually(async () => second.received.length === 1))
    await after.stop()
    assert.equal(second.received[0].event.id, first.received[0].event.id)
  })

  test('a failing subscriber is retried, then dead-lettered, without holding back others', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const good = recordingSubscriber('good', ['*'])
    const flaky = recordingSubscriber('flaky', ['member.*'], { failures: 2 })
    const broken = recordingSubscriber('broken', ['member.deactivated'], {
      failAlways: true,
      maxAttempts: 3,
    })
    const dispatcher = await startDispatcher([broken.subscriber, flaky.subscriber, good.subscriber])
    cleanup(() => dispatcher.stop())

    const first = await acme.member('member')
    const second = await acme.member('member')
    await deactivate(client, acme, first.user.id)
    await deactivate(client, acme, second.user.id)

    assert.isTrue(await eventually(async () => good.received.length === 2, 5_000))
    assert.isTrue(await eventually(async () => flaky.received.length === 2, 5_000))
    assert.deepEqual(
      flaky.received.map(({ event }) => event.seq),
      [1, 2]
    )
    assert.isTrue(
      await eventually(async () => {
        const letters = await db.from(`${acme.schema}.event_dead_letters`)
        return letters.length === 2
      }, 5_000)
    )
    const letters = await db.from(`${acme.schema}.event_dead_letters`).orderBy('event_seq')
    assert.deepEqual(
      letters.map((letter) => [letter.subscriber, Number(letter.event_seq), letter.attempts]),
      [
        ['broken', 1, 3],
        ['broken', 2, 3],
      ]
    )
    assert.equal(broken.attempts, 6)
  })

  test('a slow subscriber holds back no other: the next event reaches them while it works', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const fast = recordingSubscriber('fast', ['member.*'])
    let release: () => void = () => {}
    const slow = {
      name: 'slow',
      types: ['member.*'],
      received: [] as number[],
      async handle(event: { seq: number }) {
        if (event.seq === 1) {
          await new Promise<void>((resolve) => (release = resolve))
        }
        slow.received.push(event.seq)
      },
    }
    const dispatcher = await startDispatcher([slow, fast.subscriber])
    cleanup(() => dispatcher.stop())

    const first = await acme.member('member')
    const second = await acme.member('member')
    await deactivate(client, acme, first.user.id)
    assert.isTrue(await eventually(async () => fast.received.length === 1, 3_000))
    await deactivate(client, acme, second.user.id)
    assert.isTrue(
      await eventually(async () => fast.received.length === 2, 3_000),
      'the fast subscriber got the second event while the slow one was still busy'
    )
    assert.deepEqual(slow.received, [])

    release()
    assert.isTrue(await eventually(async () => slow.received.length === 2, 3_000))
    assert.deepEqual(slow.received, [1, 2])
  })
})

test.group('Domain events: dead letters for operators', (group) => {
  group.each.setup(() => resetDatabase())

  test('events:failed lists dead letters and events:retry delivers one again', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { user } = await acme.member('member')
    const broken = recordingSubscriber('mailer', ['*'], { failAlways: true, maxAttempts: 2 })
    const dispatcher = await startDispatcher([broken.subscriber])
    cleanup(() => dispatcher.stop())
    await deactivate(client, acme, user.id)
    assert.isTrue(
      await eventually(async () => {
        const letters = await db.from(`${acme.schema}.event_dead_letters`)
        return letters.length === 1
      }, 5_000)
    )

    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    const failed = await ace.exec('events:failed', ['--json'])
    assert.equal(failed.exitCode, 0)
    const listed = JSON.parse(failed.ui.logger.getLogs().at(-1)!.message)
    assert.lengthOf(listed, 1)
    assert.include(listed[0], { ref: 'acme/1', subscriber: 'mailer', type: 'member.deactivated' })

    // Not registered in the app (a test subscriber): the retry says so.
    const unknown = await ace.exec('events:retry', ['acme/1'])
    assert.equal(unknown.exitCode, 1)

    // Fixed and registered: the retry delivers it with the tenant bound.
    const fixed = recordingSubscriber('mailer', ['*'])
    const subscribers = await app.container.make(EventSubscribers)
    const unsubscribe = subscribers.subscribe(fixed.subscriber)
    cleanup(() => {
      unsubscribe()
    })
    const retried = await ace.exec('events:retry', ['acme/1'])
    assert.equal(retried.exitCode, 0)
    assert.lengthOf(fixed.received, 1)
    assert.equal(fixed.received[0].boundTenantId, acme.id)

    const after = await ace.exec('events:failed', ['--json'])
    assert.deepEqual(JSON.parse(after.ui.logger.getLogs().at(-1)!.message), [])
    ace.ui.switchMode('normal')
  })
})
