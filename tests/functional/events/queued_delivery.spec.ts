import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Queue from 'bull'
import env from '#start/env'
import { QueuedWakeups } from '#events/services/queued_wakeups'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import {
  deactivateNewMembers,
  deliveredSeqs,
  recordingSubscriber,
  startDispatcher,
} from '#tests/helpers/events'
import { eventually } from '#tests/helpers/wait'

const redisUrl = env.get('REDIS_URL')

/*
 * With Redis, wake-ups travel as bull jobs and every node works the
 * queue. Runs whenever REDIS_URL is set; CI sets REQUIRE_REDIS so a
 * missing Redis fails instead of skipping.
 */
test.group('Domain events: delivery through bull (Redis)', (group) => {
  group.each.setup(() => resetDatabase())

  test('two nodes working one queue deliver each event once, in order, retrying failures', async ({
    client,
    assert,
    cleanup,
  }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const queueName = `events-test-${randomUUID()}`
    const prefix = 'tandem-test'
    cleanup(async () => {
      const queue = new Queue(queueName, redisUrl!, { prefix })
      await queue.obliterate({ force: true })
      await queue.close()
    })

    const acme = await createTenant('acme')
    const onA = recordingSubscriber('feed', ['*'], { failures: 1 })
    const onB = recordingSubscriber('feed', ['*'], { failures: 1 })
    const nodeA = await startDispatcher([onA.subscriber], {
      wakeups: new QueuedWakeups(redisUrl!, { prefix, queueName, concurrency: 2 }),
    })
    const nodeB = await startDispatcher([onB.subscriber], {
      wakeups: new QueuedWakeups(redisUrl!, { prefix, queueName, concurrency: 2 }),
    })
    cleanup(async () => {
      await nodeA.stop()
      await nodeB.stop()
    })

    await deactivateNewMembers(client, acme, 10)

    const delivered = () => deliveredSeqs(onA, onB)
    assert.isTrue(await eventually(async () => delivered().length >= 10, 10_000))
    await nodeA.idle()
    await nodeB.idle()
    assert.deepEqual(
      delivered(),
      Array.from({ length: 10 }, (_, index) => index + 1)
    )
    // Each node's handler failed once and was retried through a delayed job.
    assert.isAbove(onA.attempts + onB.attempts, 10)
  })
    .skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')
    .timeout(30_000)
})
