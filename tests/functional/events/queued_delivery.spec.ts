import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import Queue from 'bull'
import env from '#start/env'
import { QueuedWakeups } from '#events/services/queued_wakeups'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { recordingSubscriber, startDispatcher } from '#tests/helpers/events'
import { eventually } from '#tests/helpers/wait'
import type { ApiClient } from '@japa/api-client'

const redisUrl = env.get('REDIS_URL')

async function deactivate(client: ApiClient, tenant: TestTenant, memberId: number) {
  const response = await client
    .post(`/api/v1/members/${memberId}/deactivate`)
    .header('host', tenant.host)
    .bearerToken(tenant.ownerToken)
  response.assertStatus(200)
}

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
    const queueName = `tandem-events-test-${randomUUID()}`
    cleanup(async () => {
      const queue = new Queue(queueName, redisUrl!)
      await queue.obliterate({ force: true })
      await queue.close()
    })

    const acme = await createTenant('acme')
    const onA = recordingSubscriber('feed', ['*'], { failures: 1 })
    const onB = recordingSubscriber('feed', ['*'], { failures: 1 })
    const nodeA = await startDispatcher([onA.subscriber], {
      wakeups: new QueuedWakeups(redisUrl!, queueName, 2),
    })
    const nodeB = await startDispatcher([onB.subscriber], {
      wakeups: new QueuedWakeups(redisUrl!, queueName, 2),
    })
    cleanup(async () => {
      await nodeA.stop()
      await nodeB.stop()
    })

    const members = await Promise.all(Array.from({ length: 10 }, () => acme.member('member')))
    for (const { user } of members) {
      await deactivate(client, acme, user.id)
    }

    const delivered = () =>
      [...onA.received, ...onB.received].map(({ event }) => event.seq).sort((x, y) => x - y)
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
