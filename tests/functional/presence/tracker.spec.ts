import { test } from '@japa/runner'
import type { TestContext } from '@japa/runner/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { eventually } from '#tests/helpers/wait'
import type { PresenceChange } from '#presence/presence'
import { PresenceTracker } from '#presence/services/presence_tracker'
import type { RedisPresenceStore } from '#presence/services/redis_presence_store'
import {
  INTERVAL_MS,
  TTL_MS,
  memoryBackend,
  redisBackend,
  startCluster,
  type PresenceBackend,
  type TestNode,
} from '#tests/functional/presence/test_cluster'

type Cluster = Awaited<ReturnType<typeof startCluster>>

const TENANT = 7
const OTHER_TENANT = 8

/** User 1 of TENANT as a node sees them. */
async function userOne(node: TestNode) {
  const [presence] = await node.tracker.snapshot(TENANT, [1])
  return presence
}

/** The statuses of users of TENANT as a node sees them. */
async function statusesOf(node: TestNode, userIds: number[]) {
  const presences = await node.tracker.snapshot(TENANT, userIds)
  return presences.map((presence) => presence.status)
}

/** Long enough for heartbeats to reach a tick and the tick to finish. */
const settle = () => sleep(3 * INTERVAL_MS)

/*
 * The same behaviour, node against node, over Redis and over the memory
 * store: each scenario runs once per backend.
 */
for (const backend of [redisBackend, memoryBackend]) {
  test.group(`Presence across nodes (${backend.name})`, () => {
    scenario(
      backend,
      'online on any node wins over away; offline when the last one leaves',
      async ({ assert }, { nodes: [a, b], reported }) => {
        await a.connect(TENANT, 1, 'a1')
        await b.connect(TENANT, 1, 'b1')
        a.report('a1', 'away')
        await settle()
        assert.include(await userOne(b), { status: 'online' })

        b.report('b1', 'away')
        assert.isTrue(await eventually(async () => reported(TENANT, 1).length === 2))
        assert.include(await userOne(a), { status: 'away' })

        a.report('a1', 'online')
        assert.isTrue(await eventually(async () => reported(TENANT, 1).length === 3))
        await a.disconnect('a1')
        await b.disconnect('b1')

        assert.deepEqual(reported(TENANT, 1), [
          'a:online',
          'b:away',
          'a:online',
          'a:away',
          'b:offline',
        ])
        const presence = await userOne(a)
        assert.equal(presence.status, 'offline')
        assert.isAtMost(Date.now() - Date.parse(presence.last_seen_at!), 1_000)
      }
    )

    scenario(
      backend,
      'when the last connections on two nodes close at once, one node reports offline',
      async ({ assert }, { nodes: [a, b], reported }) => {
        const users = Array.from({ length: 20 }, (_, index) => index + 1)
        for (const user of users) {
          await a.connect(TENANT, user, `a${user}`)
          await b.connect(TENANT, user, `b${user}`)
        }
        await Promise.all(
          users.flatMap((user) => [a.disconnect(`a${user}`), b.disconnect(`b${user}`)])
        )

        for (const user of users) {
          const offline = reported(TENANT, user).filter((report) => report.endsWith(':offline'))
          assert.lengthOf(offline, 1, `user ${user}: ${reported(TENANT, user).join(', ')}`)
        }
      }
    )

    scenario(
      backend,
      "a crashed node's users go offline within TTL + interval, reported by one survivor",
      async ({ assert }, { nodes: [a, b, c], reported }) => {
        await a.connect(TENANT, 1, 'a1')
        await a.connect(TENANT, 2, 'a2')
        await b.connect(TENANT, 2, 'b2')
        await settle()

        const crashedAt = Date.now()
        await a.stop({ graceful: false })
        assert.isTrue(await eventually(async () => reported(TENANT, 1).length === 2, 3_000))
        const elapsed = Date.now() - crashedAt

        // Scheduling slack on top of the bound: timers are not exact.
        assert.isAtMost(elapsed, TTL_MS + INTERVAL_MS + 150)
        assert.oneOf(reported(TENANT, 1)[1], ['b:offline', 'c:offline'])
        await settle()
        assert.lengthOf(reported(TENANT, 1), 2)
        assert.deepEqual(reported(TENANT, 2), ['a:online'])
        const [one, two] = await c.tracker.snapshot(TENANT, [1, 2])
        assert.equal(one.status, 'offline')
        assert.isAtMost(Math.abs(Date.parse(one.last_seen_at!) - crashedAt), INTERVAL_MS + 50)
        assert.equal(two.status, 'online')
      },
      ['a', 'b', 'c']
    )

    scenario(
      backend,
      'a node stopping gracefully reports its users offline at once',
      async ({ assert }, { nodes: [a, b], reported }) => {
        await a.connect(TENANT, 1, 'a1')
        await a.connect(TENANT, 2, 'a2')
        await b.connect(TENANT, 2, 'b2')

        await a.stop()

        assert.deepEqual(reported(TENANT, 1), ['a:online', 'a:offline'])
        assert.deepEqual(reported(TENANT, 2), ['a:online'])
        assert.deepEqual(await statusesOf(b, [1, 2]), ['offline', 'online'])
      }
    )

    scenario(
      backend,
      'a status text survives reconnecting and ends at its expiry',
      async ({ assert }, { nodes: [a, b], reports }) => {
        await a.connect(TENANT, 1, 'a1')
        const set = await a.tracker.setText(TENANT, 1, '  In a meeting ')
        assert.include(set, { user_id: 1, status: 'online', text: 'In a meeting' })
        await a.disconnect('a1')
        await b.connect(TENANT, 1, 'b1')

        assert.deepEqual(
          reports.map(({ change }) => [change.presence.status, change.presence.text]),
          [
            ['online', null],
            ['online', 'In a meeting'],
            ['offline', 'In a meeting'],
            ['online', 'In a meeting'],
          ]
        )
        assert.include(await userOne(a), { text: 'In a meeting' })

        const expiresAt = new Date(Date.now() + 300)
        const lunch = await b.tracker.setText(TENANT, 1, 'Lunch', expiresAt)
        assert.equal(lunch.text_expires_at, expiresAt.toISOString())
        await sleep(400)
        assert.include(await userOne(a), {
          text: null,
          text_expires_at: null,
        })
        await assert.rejects(() => a.tracker.setText(TENANT, 1, 'x'.repeat(101)), RangeError)
      }
    )

    scenario(
      backend,
      'a connection that stops heartbeating is gone after the TTL, socket open or not',
      async ({ assert }, { nodes: [a], reported }) => {
        await a.connect(TENANT, 1, 'a1')
        await a.connect(TENANT, 1, 'a2')
        a.silence('a1')
        await sleep(TTL_MS + 2 * INTERVAL_MS)
        assert.deepEqual(reported(TENANT, 1), ['a:online'])

        const silentAt = Date.now()
        a.silence('a2')
        assert.isTrue(await eventually(async () => reported(TENANT, 1).length === 2, 3_000))
        assert.isAtMost(Date.now() - silentAt, TTL_MS + INTERVAL_MS + 150)

        // A swept connection is forgotten: its late heartbeats change nothing.
        a.tracker.heartbeat('a2', 'online')
        await settle()
        assert.deepEqual(reported(TENANT, 1), ['a:online', 'a:offline'])
      }
    )

    scenario(
      backend,
      'a node reaped while silent writes its users again when heard from',
      async ({ assert }, { addNode, reported }) => {
        // Never started, so it never ticks: the others take it for dead.
        const stalled = addNode('stalled')
        await stalled.connect(TENANT, 1, 's1')
        assert.isTrue(await eventually(async () => reported(TENANT, 1).length === 2, 3_000))

        await stalled.connect(TENANT, 2, 's2')

        assert.deepEqual(reported(TENANT, 1).slice(2), ['stalled:online'])
        assert.deepEqual(await statusesOf(stalled, [1, 2]), ['online', 'online'])
      }
    )

    scenario(
      backend,
      'tenants are apart, and a snapshot takes at most 500 ids',
      async ({ assert }, { nodes: [a, b] }) => {
        await a.connect(TENANT, 1, 'a1')
        await a.tracker.setText(TENANT, 1, 'Here')

        const [elsewhere] = await b.tracker.snapshot(OTHER_TENANT, [1])
        assert.deepEqual(elsewhere, {
          user_id: 1,
          status: 'offline',
          text: null,
          text_expires_at: null,
          last_seen_at: null,
        })
        const ids = Array.from({ length: 501 }, (_, index) => index + 1)
        await assert.rejects(() => b.tracker.snapshot(TENANT, ids), RangeError)
        assert.lengthOf(await b.tracker.snapshot(TENANT, ids.slice(1)), 500)
      }
    )
  })
}

/** A test against a fresh cluster of started nodes of the backend. */
function scenario(
  backend: PresenceBackend,
  title: string,
  body: (context: TestContext, cluster: Cluster) => Promise<void>,
  nodeNames?: string[]
) {
  test(title, async (context) => {
    const cluster = await startCluster(backend, nodeNames)
    context.cleanup(() => cluster.close())
    await body(context, cluster)
  })
    .skip(Boolean(backend.skip), backend.skip || undefined)
    .timeout(15_000)
}

test.group('Presence cost (Redis)', () => {
  test('heartbeats cost at most 0.01 Redis commands each: one command per interval', async ({
    assert,
    cleanup,
  }) => {
    const { store, clear } = await redisBackend.open()
    const redis = store() as RedisPresenceStore
    const tracker = new PresenceTracker(redis, { intervalMs: INTERVAL_MS, ttlMs: TTL_MS })
    cleanup(async () => {
      await tracker.stop()
      await clear()
    })
    await tracker.start()
    // 200 connections: 50 users in each of two tenants, two connections each.
    const connections = Array.from({ length: 200 }, (_, index) => ({
      id: `c${index}`,
      tenantId: index % 2 === 0 ? TENANT : OTHER_TENANT,
      userId: Math.floor(index / 4) + 1,
    }))
    for (const { id, tenantId, userId } of connections) {
      await tracker.connect(tenantId, userId, id)
    }
    const changes: PresenceChange[] = []
    tracker.onChange((change) => changes.push(change))
    const before = { ...redis.stats }

    const rounds = 6
    let heartbeats = 0
    for (let round = 0; round < rounds; round++) {
      for (const [index, { id }] of connections.entries()) {
        // Halfway, every client of one tenant goes idle: 50 users turn away.
        tracker.heartbeat(id, round >= rounds / 2 && index % 2 === 0 ? 'away' : 'online')
        heartbeats += 1
      }
      await sleep(INTERVAL_MS)
    }

    const commands = redis.stats.commands - before.commands
    const inScripts = redis.stats.scriptCalls - before.scriptCalls
    const measured = `${commands} commands (running ${inScripts} more inside scripts) for ${heartbeats} heartbeats`
    assert.lengthOf(changes, 50, measured)
    assert.isAtMost(commands / heartbeats, 0.01, measured)
    // One sync per tick, the 50 changes riding on one of them.
    assert.isAtMost(commands, rounds + 1, measured)
  })
    .skip(Boolean(redisBackend.skip), redisBackend.skip || undefined)
    .timeout(15_000)
})
