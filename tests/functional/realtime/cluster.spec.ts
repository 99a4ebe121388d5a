import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import env from '#start/env'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { startNode, type AppNode } from '#tests/helpers/nodes'
import { closedByServer, command, connectSocket, recordEvents } from '#tests/helpers/realtime'

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
    cleanup(() => void socket.close())
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
    cleanup(() => void socket.close())

    const closed = closedByServer(socket, 1_000)
    const logout = await nodeApi(client, nodeB, acme.host, token)('post', '/auth/logout')
    logout.assertStatus(204)
    assert.equal(await closed, 'io server disconnect')
  }).skip(!redisUrl && !env.get('REQUIRE_REDIS'), 'needs REDIS_URL')
})
