import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import env from '#start/env'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { startNode, type AppNode } from '#tests/helpers/nodes'
import {
  accepted,
  closedByServer,
  command,
  connectSocket,
  recordEvents,
  closeAll,
} from '#tests/helpers/realtime'

const redisUrl = env.get('REDIS_URL')
const NODE_PORTS = [3351, 3352]

/** Requests to another node's HTTP API, as a member of a tenant. */
function nodeApi(client: ApiClient, node: AppNode, host: string, token: string) {
  return (method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object) => {
    const request = client[method](`http://127.0.0.1:${node.port}/api/v1${path}`)
      .header('host', host)
      .bearerToken(token)
    return body ? request.json(body) : request
  }
}

/** A workspace whose owner made a channel with member Ann through `node`. */
async function channelMadeOn(client: ApiClient, node: AppNode, slug: string) {
  const acme = await createTenant(slug)
  const ann = await acme.member('member')
  const ownerOnB = nodeApi(client, node, acme.host, acme.ownerToken)
  const channel = await ownerOnB('post', '/channels', {
    name: 'general',
    type: 'public',
    member_ids: [ann.user.id],
  })
  channel.assertStatus(201)
  return { acme, ann, ownerOnB, channelId: channel.body().data.id as number }
}

/*
 * Two more application processes (`bin/server.ts`) beside the test
 * process, linked only through PostgreSQL and Redis, with no sticky
 * routing: each client talks to the node it was given.
 */
test.group('Realtime | two nodes sharing Redis', (group) => {
  let nodes: AppNode[] = []

  group.setup(async () => {
    if (redisUrl) {
      await resetDatabase()
      nodes = await Promise.all(NODE_PORTS.map((port) => startNode(port)))
    }
  })
  group.teardown(async () => {
    await Promise.all(nodes.map((node) => node.stop()))
  })

  test('a client on node A hears of a task created through node B', async ({
    assert,
    client,
    cleanup,
  }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const [nodeA, nodeB] = nodes
    const acme = await createTenant('cluster-tasks')
    const onB = nodeApi(client, nodeB, acme.host, acme.ownerToken)
    const project = await onB('post', '/projects', { name: 'Site', key: 'SITE' })
    project.assertStatus(201)
    const projectId = project.body().data.id

    const socket = await connectSocket({
      host: acme.host,
      token: acme.ownerToken,
      port: nodeA.port,
    })
    cleanup(() => closeAll(socket))
    const joined = await command(socket, 'project:join', { project_id: projectId })
    assert.isTrue(joined.ok)
    const created = recordEvents(socket, 'task.created')

    const task = await onB('post', `/projects/${projectId}/tasks`, { title: 'Across' })
    task.assertStatus(201)

    const [event] = await created.until((list) => list.length > 0, 5_000)
    assert.equal(event.data.task_id, task.body().data.id)
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')

  test('signing out through node B closes that token’s socket on node A within a second', async ({
    assert,
    client,
    cleanup,
  }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const [nodeA, nodeB] = nodes
    const acme = await createTenant('cluster-logout')
    const { token } = await acme.member('member')
    const socket = await connectSocket({ host: acme.host, token, port: nodeA.port })
    cleanup(() => closeAll(socket))

    const closed = closedByServer(socket, 1_000)
    const logout = await nodeApi(client, nodeB, acme.host, token)('post', '/auth/logout')
    logout.assertStatus(204)
    assert.equal(await closed, 'io server disconnect')
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')

  test('a message sent by a client on node B reaches a client on node A', async ({
    assert,
    client,
    cleanup,
  }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const [nodeA, nodeB] = nodes
    const { acme, ann, channelId } = await channelMadeOn(client, nodeB, 'cluster-chat')
    const onA = await connectSocket({ host: acme.host, token: ann.token, port: nodeA.port })
    const onB = await connectSocket({ host: acme.host, token: acme.ownerToken, port: nodeB.port })
    cleanup(() => closeAll(onA, onB))
    await accepted(command(onA, 'channel:join', { channel_id: channelId }))
    const heard = recordEvents(onA, 'message:new')

    const sent = await accepted(
      command(onB, 'message:send', { channel_id: channelId, body: 'across', client_id: 'c-1' })
    )

    const [message] = await heard.until((list) => list.length === 1)
    assert.deepEqual(message, sent.message)
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')

  test('presence merges a member’s sockets across nodes', async ({ assert, cleanup }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const [nodeA, nodeB] = nodes
    const acme = await createTenant('cluster-presence')
    const ann = await acme.member('member')
    const watcher = await connectSocket({
      host: acme.host,
      token: acme.ownerToken,
      port: nodeB.port,
    })
    const annOnA = await connectSocket({ host: acme.host, token: ann.token, port: nodeA.port })
    const annOnB = await connectSocket({ host: acme.host, token: ann.token, port: nodeB.port })
    cleanup(() => closeAll(watcher, annOnA, annOnB))
    const snapshot = await accepted(
      command(watcher, 'presence:subscribe', { user_ids: [ann.user.id] })
    )
    assert.equal(snapshot[0].status, 'online')
    const changes = recordEvents(watcher, 'presence:changed')

    annOnB.close()
    await new Promise((resolve) => setTimeout(resolve, 500))
    assert.notInclude(
      changes.received.map((change) => change.status),
      'offline'
    )
    annOnA.close()
    const [offline] = await changes.until((list) => list.length > 0)
    assert.equal(offline.status, 'offline')
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')

  // Kills node A: keep it the last test of the group.
  test('when node A dies its members go offline within the TTL, and its clients catch up on node B', async ({
    assert,
    client,
    cleanup,
  }) => {
    assert.isString(redisUrl, 'REQUIRE_REDIS is set but REDIS_URL is not')
    const [nodeA, nodeB] = nodes
    const { acme, ann, ownerOnB, channelId } = await channelMadeOn(client, nodeB, 'cluster-crash')
    const annOnA = await connectSocket({ host: acme.host, token: ann.token, port: nodeA.port })
    const watcher = await connectSocket({
      host: acme.host,
      token: acme.ownerToken,
      port: nodeB.port,
    })
    cleanup(() => closeAll(annOnA, watcher))
    await accepted(command(annOnA, 'channel:join', { channel_id: channelId }))
    await accepted(command(watcher, 'presence:subscribe', { user_ids: [ann.user.id] }))
    const seen = await accepted(
      command(watcher, 'message:send', { channel_id: channelId, body: 'before', client_id: 'b-1' })
    )
    const changes = recordEvents(watcher, 'presence:changed')

    await nodeA.kill()
    const killedAt = Date.now()
    const missed = []
    for (const n of [1, 2, 3]) {
      const posted = await ownerOnB('post', `/channels/${channelId}/messages`, {
        body: `while away ${n}`,
        client_id: `away-${n}`,
      })
      posted.assertStatus(201)
      missed.push(posted.body().data.seq)
    }

    const [offline] = await changes.until((list) => list.length > 0, 5_000)
    assert.equal(offline.status, 'offline')
    const ttl = env.get('PRESENCE_TTL_MS', 3 * env.get('PRESENCE_INTERVAL_MS', 20_000))
    const interval = env.get('PRESENCE_INTERVAL_MS', 20_000)
    assert.isBelow(Date.now() - killedAt, ttl + 2 * interval + 500)

    const back = await connectSocket({ host: acme.host, token: ann.token, port: nodeB.port })
    cleanup(() => closeAll(back))
    const caughtUp = await accepted(
      command(back, 'channel:join', { channel_id: channelId, last_seq: seen.message.seq })
    )
    assert.deepEqual(
      caughtUp.changes.map((message: { seq: number }) => message.seq),
      missed
    )
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')
})
