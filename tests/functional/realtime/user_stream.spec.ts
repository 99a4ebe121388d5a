import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { deactivate, deliverEventsDuringEachTest } from '#tests/helpers/events'
import { as, createTask, workspaceWithProject } from '#tests/helpers/work'
import { openUserStream, closeAll } from '#tests/helpers/realtime'
import { eventually } from '#tests/helpers/wait'

test.group('Realtime | per-member SSE stream', (group) => {
  group.each.setup(() => resetDatabase())
  group.each.setup(deliverEventsDuringEachTest)

  test('a member’s stream carries the events of their user room', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const { user, token } = await acme.member('member')
    const stream = await openUserStream({ host: acme.host, token })
    cleanup(() => closeAll(stream))
    assert.equal(stream.status, 200)

    const task = await createTask(owner, web.id)
    const assigned = await owner.patch(`/tasks/${task.id}`, { assignee_ids: [user.id] })
    assigned.assertStatus(200)

    assert.isTrue(
      await eventually(async () => stream.messages.length > 0),
      `no message arrived: ${stream.body}`
    )
    const [message] = stream.messages
    assert.equal(message.channel, `tenants/${acme.id}/users/${user.id}`)
    assert.equal(message.payload.event, 'task.assigned')
    assert.deepEqual(message.payload.data.data.assignee_ids, [user.id])
  })

  test('no token, another tenant’s token or a bad stream id is refused', async ({ assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')

    const anonymous = await openUserStream({ host: acme.host })
    const foreign = await openUserStream({ host: acme.host, token: globex.ownerToken })
    const badUid = await openUserStream({ host: acme.host, token: acme.ownerToken, uid: 'x' })
    for (const stream of [anonymous, foreign, badUid]) {
      await stream.ended
    }
    assert.deepEqual([anonymous.status, foreign.status, badUid.status], [401, 401, 422])
    assert.equal(JSON.parse(foreign.body).errors[0].code, 'E_UNAUTHORIZED')
  })

  test('a stream id open for one member cannot be taken by another', async ({
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { token } = await acme.member('member')
    const uid = randomUUID()
    const first = await openUserStream({ host: acme.host, token: acme.ownerToken, uid })
    cleanup(() => closeAll(first))
    assert.equal(first.status, 200)
    await eventually(async () => true, 100)

    const takeover = await openUserStream({ host: acme.host, token, uid })
    await takeover.ended
    assert.equal(takeover.status, 409)
    assert.equal(JSON.parse(takeover.body).errors[0].code, 'E_STREAM_IN_USE')
  })

  test('subscribing to another member’s channel is refused', async ({ assert, client }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    const uid = randomUUID()
    const stream = await openUserStream({ host: acme.host, token, uid })

    const response = await client
      .post('/__transmit/subscribe')
      .header('host', acme.host)
      .bearerToken(token)
      .json({ uid, channel: `tenants/${acme.id}/users/${acme.owner.id}` })
    stream.close()

    assert.equal(response.status(), 403)
    assert.equal(response.body().errors[0].code, 'E_FORBIDDEN')
    assert.notEqual(user.id, acme.owner.id)
  })

  test('subscribe and unsubscribe name each bad field', async ({ assert, client }) => {
    const acme = await createTenant('acme')
    for (const path of ['/__transmit/subscribe', '/__transmit/unsubscribe']) {
      const response = await client
        .post(path)
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
        .json({ uid: randomUUID(), channel: '', extra: true })
      assert.equal(response.status(), 422)
      assert.sameMembers(
        response.body().errors.map((error: { field: string }) => error.field),
        ['channel', 'extra']
      )
    }
  })

  test('deactivation and sign-out end the streams they concern', async ({ assert, client }) => {
    const acme = await createTenant('acme')
    const leaving = await acme.member('member')
    const signingOut = await acme.member('member')
    const deactivated = await openUserStream({ host: acme.host, token: leaving.token })
    const signedOut = await openUserStream({ host: acme.host, token: signingOut.token })

    await deactivate(client, acme, leaving.user.id)
    const logout = await as(client, acme, signingOut.token).post('/auth/logout')
    logout.assertStatus(204)

    const endedWithinASecond = await Promise.race([
      Promise.all([deactivated.ended, signedOut.ended]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 1_000)),
    ])
    assert.isTrue(endedWithinASecond)
  })
})
