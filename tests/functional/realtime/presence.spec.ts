import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { accepted, closeAll, command, connectSocket, recordEvents } from '#tests/helpers/realtime'

interface PresenceData {
  user_id: number
  status: string
  text: string | null
}

test.group('Realtime | presence over sockets', (group) => {
  group.each.setup(() => resetDatabase())

  test('watchers see a member come online, go away, set a text and go offline', async ({
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const ann = await acme.member('member')
    const watcher = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(watcher))
    const changes = recordEvents<PresenceData>(watcher, 'presence:changed')

    const before = await accepted(
      command(watcher, 'presence:subscribe', { user_ids: [ann.user.id] })
    )
    assert.containSubset(before, [{ user_id: ann.user.id, status: 'offline' }])

    const annSocket = await connectSocket({ host: acme.host, token: ann.token })
    cleanup(() => closeAll(annSocket))
    await changes.until((list) => list.some((change) => change.status === 'online'))

    await accepted(command(annSocket, 'presence:heartbeat', { status: 'away' }))
    await changes.until((list) => list.some((change) => change.status === 'away'))

    await accepted(command(annSocket, 'presence:status', { text: 'In a meeting' }))
    await changes.until((list) => list.some((change) => change.text === 'In a meeting'))

    annSocket.close()
    const started = Date.now()
    await changes.until((list) => list.at(-1)?.status === 'offline')
    assert.isBelow(Date.now() - started, 300, 'the last disconnect publishes offline at once')
  })

  test('a member with two sockets stays online until the last one closes', async ({
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const ann = await acme.member('member')
    const [first, second] = [
      await connectSocket({ host: acme.host, token: ann.token }),
      await connectSocket({ host: acme.host, token: ann.token }),
    ]
    const watcher = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(first, second, watcher))
    await accepted(command(watcher, 'presence:subscribe', { user_ids: [ann.user.id] }))
    const changes = recordEvents<PresenceData>(watcher, 'presence:changed')

    first.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.notInclude(
      changes.received.map((change) => change.status),
      'offline'
    )
    second.close()
    await changes.until((list) => list.at(-1)?.status === 'offline')
  })

  test('presence of another workspace’s member is not reachable', async ({ assert, cleanup }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const globexSocket = await connectSocket({ host: globex.host, token: globex.ownerToken })
    const watcher = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(globexSocket, watcher))

    // Same user id in both tenants (each owner is user 1): only acme's is seen.
    const snapshot = await accepted(
      command(watcher, 'presence:subscribe', { user_ids: [globex.owner.id] })
    )
    assert.equal(globex.owner.id, acme.owner.id)
    assert.equal(snapshot[0].status, 'online', 'acme’s owner, connected as the watcher')
    const changes = recordEvents<PresenceData>(watcher, 'presence:changed')
    globexSocket.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(changes.received, 0)
  })
})
