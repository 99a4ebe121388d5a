import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { runAce } from '#tests/helpers/cli'
import { deactivate } from '#tests/helpers/events'
import { as } from '#tests/helpers/work'
import { closedByServer, command, connectSocket, refusal, closeAll } from '#tests/helpers/realtime'

/** Workspace acme and a socket of its owner, closed by the test's cleanup. */
async function ownerConnected(cleanup: (close: () => void) => void) {
  const acme = await createTenant('acme')
  const socket = await connectSocket({ host: acme.host, token: acme.ownerToken })
  cleanup(() => closeAll(socket))
  return { acme, socket }
}

test.group('Realtime gateway | handshake', (group) => {
  group.each.setup(() => resetDatabase())

  test('a member connects with their access token, in the auth payload or a header', async ({
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const byPayload = await connectSocket({ host: acme.host, token: acme.ownerToken })
    const byHeader = await connectSocket({ host: acme.host, token: acme.ownerToken, header: true })
    cleanup(() => closeAll(byPayload, byHeader))

    assert.isTrue(byPayload.connected)
    assert.isTrue(byHeader.connected)
  })

  test('no token, a bad token or another tenant’s token is refused with E_UNAUTHORIZED', async ({
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')

    assert.equal(await refusal({ host: acme.host }), 'E_UNAUTHORIZED')
    assert.equal(await refusal({ host: acme.host, token: 'tdm_nope' }), 'E_UNAUTHORIZED')
    assert.equal(await refusal({ host: acme.host, token: globex.ownerToken }), 'E_UNAUTHORIZED')
    assert.equal(await refusal({ host: globex.host, token: acme.ownerToken }), 'E_UNAUTHORIZED')
  })

  test('an unknown host and a suspended workspace are refused with their codes', async ({
    assert,
  }) => {
    const acme = await createTenant('acme')
    assert.equal(
      await refusal({ host: 'nobody.localhost', token: acme.ownerToken }),
      'E_TENANT_NOT_FOUND'
    )
    const suspended = await runAce(['tenant:suspend', 'acme'])
    assert.equal(suspended.exitCode, 0, suspended.output)

    assert.equal(await refusal({ host: acme.host, token: acme.ownerToken }), 'E_TENANT_SUSPENDED')
  })
})

test.group('Realtime gateway | sessions end', (group) => {
  group.each.setup(() => resetDatabase())

  test('a workspace suspended while members are connected refuses their next command and closes', async ({
    assert,
    cleanup,
  }) => {
    const { socket } = await ownerConnected(cleanup)
    const suspended = await runAce(['tenant:suspend', 'acme'])
    assert.equal(suspended.exitCode, 0, suspended.output)

    const closed = closedByServer(socket)
    let reply = await command(socket, 'project:leave', { project_id: 1 })
    // The suspension reaches this process by NOTIFY; give it a moment.
    for (let attempt = 0; reply.ok && attempt < 20; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      reply = await command(socket, 'project:leave', { project_id: 1 })
    }
    assert.deepEqual(
      reply.errors?.map((error) => error.code),
      ['E_TENANT_SUSPENDED']
    )
    assert.equal(await closed, 'io server disconnect')
  })

  test('signing out closes the sockets of that token only', async ({ assert, client, cleanup }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: user.email, password: 'correct horse battery' })
    const other = login.body().data.token as string

    const signingOut = await connectSocket({ host: acme.host, token })
    const staying = await connectSocket({ host: acme.host, token: other })
    cleanup(() => closeAll(signingOut, staying))

    const closed = closedByServer(signingOut, 1_000)
    const started = Date.now()
    const logout = await as(client, acme, token).post('/auth/logout')
    logout.assertStatus(204)

    assert.equal(await closed, 'io server disconnect')
    assert.isBelow(Date.now() - started, 1_000)
    assert.isTrue(staying.connected)
  })

  test('deactivating a member closes all their sockets; their token no longer connects', async ({
    assert,
    client,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    const sockets = [
      await connectSocket({ host: acme.host, token }),
      await connectSocket({ host: acme.host, token }),
    ]
    const bystander = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(...sockets, bystander))

    const closed = Promise.all(sockets.map((socket) => closedByServer(socket, 1_000)))
    await deactivate(client, acme, user.id)

    assert.deepEqual(await closed, ['io server disconnect', 'io server disconnect'])
    assert.isTrue(bystander.connected)
    assert.equal(await refusal({ host: acme.host, token }), 'E_UNAUTHORIZED')
  })
})

test.group('Realtime gateway | commands', (group) => {
  group.each.setup(() => resetDatabase())

  test('an unknown event and a malformed payload are answered with an error code', async ({
    assert,
    cleanup,
  }) => {
    const { socket } = await ownerConnected(cleanup)

    const unknown = await command(socket, 'nothing:here', {})
    assert.deepEqual(
      unknown.errors?.map((error) => error.code),
      ['E_UNKNOWN_EVENT']
    )

    const malformed = await command(socket, 'project:join', { project_id: 'x', extra: 1 })
    assert.isFalse(malformed.ok)
    assert.sameMembers(
      malformed.errors!.map((error) => `${error.code}:${error.field}`),
      ['E_VALIDATION_ERROR:project_id', 'E_VALIDATION_ERROR:extra']
    )
  })

  test('more commands than the per-socket budget are refused, not queued', async ({
    assert,
    cleanup,
  }) => {
    const { socket } = await ownerConnected(cleanup)

    const replies = await Promise.all(
      Array.from({ length: 120 }, () => command(socket, 'project:leave', { project_id: 1 }))
    )
    const refused = replies.filter((reply) => reply.errors?.[0]?.code === 'E_TOO_MANY_REQUESTS')
    assert.isAbove(refused.length, 0)
    assert.isAbove(replies.filter((reply) => reply.ok).length, 50)
  })
})
