import { test } from '@japa/runner'
import type { Socket } from 'socket.io-client'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import { createChannel, postMessage, type MessageData } from '#tests/helpers/messaging'
import { accepted, command, connectSocket, recordEvents, closeAll } from '#tests/helpers/realtime'

/** acme with a public channel of three members, each with a socket in its room. */
async function channelWithThree(
  client: Parameters<typeof as>[0],
  cleanup: (fn: () => void) => void
) {
  const acme = await createTenant('acme')
  const ann = await acme.member('member')
  const bob = await acme.member('member')
  const owner = as(client, acme, acme.ownerToken)
  const channel = await createChannel(owner, { member_ids: [ann.user.id, bob.user.id] })
  const sockets = await Promise.all(
    [acme.ownerToken, ann.token, bob.token].map((token) =>
      connectSocket({ host: acme.host, token })
    )
  )
  cleanup(() => closeAll(...sockets))
  for (const socket of sockets) {
    const joined = await command(socket, 'channel:join', { channel_id: channel.id })
    if (!joined.ok) {
      throw new Error(JSON.stringify(joined))
    }
  }
  return { acme, ann, bob, owner, channel, sockets }
}

let sent = 0
function send(
  socket: Socket,
  channelId: number,
  body: string,
  extra: Record<string, unknown> = {}
) {
  sent += 1
  return command<{ message: MessageData; created: boolean }>(socket, 'message:send', {
    channel_id: channelId,
    body,
    client_id: `socket-${sent}`,
    ...extra,
  })
}

test.group('Realtime | chat over sockets', (group) => {
  group.each.setup(() => resetDatabase())

  test('a sent message is acknowledged with its seq and reaches the other members once', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { channel, sockets } = await channelWithThree(client, cleanup)
    const [sender, ann, bob] = sockets
    const atAnn = recordEvents<MessageData>(ann, 'message:new')
    const atBob = recordEvents<MessageData>(bob, 'message:new')
    const atSender = recordEvents<MessageData>(sender, 'message:new')

    const ack = await send(sender, channel.id, 'Hello <@1> and @channel')

    assert.isTrue(ack.ok)
    assert.isTrue(ack.data!.created)
    assert.equal(ack.data!.message.seq, 1)
    await atAnn.until((list) => list.length === 1)
    await atBob.until((list) => list.length === 1)
    assert.deepEqual(atAnn.received[0], ack.data!.message)
    assert.isTrue(atAnn.received[0].mentions_channel)
    await new Promise((resolve) => setTimeout(resolve, 150))
    assert.lengthOf(atSender.received, 0, 'the sender has it in the acknowledgement')
    assert.lengthOf(atBob.received, 1)
  })

  test('a repeated client_id returns the stored message and broadcasts nothing', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { channel, sockets } = await channelWithThree(client, cleanup)
    const atAnn = recordEvents<MessageData>(sockets[1], 'message:new')
    const payload = { client_id: 'retry-me' }

    const first = await send(sockets[0], channel.id, 'Once', payload)
    const again = await send(sockets[0], channel.id, 'Once', payload)

    assert.isTrue(first.data!.created)
    assert.isFalse(again.data!.created)
    assert.equal(again.data!.message.id, first.data!.message.id)
    await new Promise((resolve) => setTimeout(resolve, 150))
    assert.lengthOf(atAnn.received, 1)
  })

  test('concurrent senders: every receiver gets seqs 1..N exactly once, in seq order per sender', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { channel, sockets } = await channelWithThree(client, cleanup)
    const listener = await connectSocket({
      host: (sockets[0].io.opts.extraHeaders as Record<string, string>).host,
      token: (sockets[0].auth as { token: string }).token,
    })
    cleanup(() => closeAll(listener))
    await command(listener, 'channel:join', { channel_id: channel.id })
    const heard = recordEvents<MessageData>(listener, 'message:new')
    const perSender = 30

    const acks = await Promise.all(
      sockets.map((socket, index) =>
        Promise.all(
          Array.from({ length: perSender }, (_, n) => send(socket, channel.id, `s${index}-${n}`))
        )
      )
    )

    const total = sockets.length * perSender
    await heard.until((list) => list.length >= total - perSender, 10_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    // The listener shares the owner's account but not its socket: it hears
    // everyone, the owner's posts included.
    const seqs = heard.received.map((message) => message.seq).sort((x, y) => x - y)
    assert.deepEqual(
      seqs,
      Array.from({ length: total }, (_, index) => index + 1)
    )
    for (const list of acks) {
      const mine = list.map((ack) => ack.data!.message.seq)
      assert.deepEqual(
        mine,
        [...mine].sort((x, y) => x - y),
        'one socket’s posts keep their order'
      )
    }
  })

  test('a client that rejoins with its last seq gets what it missed, then live messages', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, ann, owner, channel, sockets } = await channelWithThree(client, cleanup)
    await send(sockets[0], channel.id, 'seen')
    sockets[1].close()
    const missed = [
      await postMessage(owner, channel.id, 'missed 1'),
      await postMessage(owner, channel.id, 'missed 2'),
    ]

    const back = await connectSocket({ host: acme.host, token: ann.token })
    cleanup(() => closeAll(back))
    const live = recordEvents<MessageData>(back, 'message:new')
    const rejoined = await command(back, 'channel:join', { channel_id: channel.id, last_seq: 1 })
    await send(sockets[0], channel.id, 'live')

    assert.isTrue(rejoined.ok)
    assert.deepEqual(
      rejoined.data.changes.map((message: MessageData) => message.seq),
      missed.map((message) => message.seq)
    )
    assert.isFalse(rejoined.data.has_more)
    const [fresh] = await live.until((list) => list.length === 1)
    assert.equal(fresh.body, 'live')
  })

  test('edits, deletes, reactions and read state travel to the room', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { channel, sockets } = await channelWithThree(client, cleanup)
    const [sender, ann] = sockets
    const edited = recordEvents(ann, 'message:edited')
    const reacted = recordEvents(ann, 'reaction:added')
    const deleted = recordEvents(ann, 'message:deleted')
    const readElsewhere = recordEvents(ann, 'channel:read')
    const { data } = await send(sender, channel.id, 'tpyo')
    const id = data!.message.id

    await accepted(command(sender, 'message:edit', { message_id: id, body: 'typo' }))
    await accepted(command(ann, 'reaction:add', { message_id: id, emoji: '👍' }))
    await accepted(command(sender, 'message:delete', { message_id: id }))
    const annAgain = await connectSocket({
      host: (ann.io.opts.extraHeaders as Record<string, string>).host,
      token: (ann.auth as { token: string }).token,
    })
    cleanup(() => closeAll(annAgain))
    await accepted(command(annAgain, 'channel:read', { channel_id: channel.id, seq: 1 }))

    await edited.until((list) => list.length === 1)
    await reacted.until((list) => list.length === 1)
    await deleted.until((list) => list.length === 1)
    await readElsewhere.until((list) => list.length === 1)
    assert.equal(edited.received[0].body, 'typo')
    assert.equal(reacted.received[0].emoji, '👍')
    assert.equal(deleted.received[0].message_id, id)
    assert.equal(readElsewhere.received[0].last_read_seq, 1)
  })

  test('typing is forwarded to the others in the room, at most every two seconds', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { ann, channel, sockets } = await channelWithThree(client, cleanup)
    const atBob = recordEvents(sockets[2], 'typing')
    const atAnn = recordEvents(sockets[1], 'typing')

    const first = await command(sockets[1], 'typing', { channel_id: channel.id })
    const second = await command(sockets[1], 'typing', { channel_id: channel.id })
    const stopped = await command(sockets[1], 'typing', { channel_id: channel.id, stopped: true })

    assert.deepEqual(
      [first.data, second.data, stopped.data],
      [{ forwarded: true }, { forwarded: false }, { forwarded: true }]
    )
    await atBob.until((list) => list.length === 2)
    assert.containSubset(atBob.received, [
      { channel_id: channel.id, user_id: ann.user.id, stopped: false },
      { channel_id: channel.id, user_id: ann.user.id, stopped: true },
    ])
    assert.lengthOf(atAnn.received, 0)
  })
})

test.group('Realtime | chat authorization', (group) => {
  group.each.setup(() => resetDatabase())

  async function privateChannel(client: Parameters<typeof as>[0]) {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const owner = as(client, acme, acme.ownerToken)
    const outsider = await acme.member('member')
    const guest = await acme.member('guest')
    await createChannel(owner, { type: 'public' })
    const secret = await createChannel(owner, { type: 'private' })
    const open = await createChannel(owner, { type: 'public' })
    return { acme, globex, owner, outsider, guest, secret, open }
  }

  async function refusedEverywhere(socket: Socket, channelId: number) {
    const attempts = [
      await command(socket, 'channel:join', { channel_id: channelId }),
      await command(socket, 'typing', { channel_id: channelId }),
      await command(socket, 'message:send', {
        channel_id: channelId,
        body: 'hi',
        client_id: 'x-1',
      }),
      await command(socket, 'channel:read', { channel_id: channelId, seq: 0 }),
    ]
    return attempts.map((reply) => (reply.ok ? 'ok' : reply.errors![0].code))
  }

  test('a member cannot reach a private channel’s room by any event', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, outsider, secret } = await privateChannel(client)
    const socket = await connectSocket({ host: acme.host, token: outsider.token })
    cleanup(() => closeAll(socket))

    const codes = await refusedEverywhere(socket, secret.id)
    assert.deepEqual(codes, ['E_NOT_FOUND', 'E_NOT_FOUND', 'E_NOT_FOUND', 'E_NOT_FOUND'])
  })

  test('a guest reaches only channels they were invited to', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, owner, guest, open } = await privateChannel(client)
    const socket = await connectSocket({ host: acme.host, token: guest.token })
    cleanup(() => closeAll(socket))

    assert.deepEqual(await refusedEverywhere(socket, open.id), [
      'E_NOT_FOUND',
      'E_NOT_FOUND',
      'E_NOT_FOUND',
      'E_NOT_FOUND',
    ])
    const invited = await owner.post(`/channels/${open.id}/members`, { user_ids: [guest.user.id] })
    invited.assertStatus(201)
    await accepted(command(socket, 'channel:join', { channel_id: open.id }))
  })

  test('another tenant’s channel id is never this tenant’s room', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { globex, secret } = await privateChannel(client)
    const socket = await connectSocket({ host: globex.host, token: globex.ownerToken })
    cleanup(() => closeAll(socket))

    assert.deepEqual(await refusedEverywhere(socket, secret.id), [
      'E_NOT_FOUND',
      'E_NOT_FOUND',
      'E_NOT_FOUND',
      'E_NOT_FOUND',
    ])
  })

  test('a removed member’s sockets leave the room at once', async ({ assert, client, cleanup }) => {
    const acme: TestTenant = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const leaving = await acme.member('member')
    const channel = await createChannel(owner, { member_ids: [leaving.user.id] })
    const socket = await connectSocket({ host: acme.host, token: leaving.token })
    cleanup(() => closeAll(socket))
    await command(socket, 'channel:join', { channel_id: channel.id })
    const removed = recordEvents(socket, 'channel:removed')
    const heard = recordEvents(socket, 'message:new')

    const removal = await owner.delete(`/channels/${channel.id}/members/${leaving.user.id}`)
    removal.assertStatus(204)
    await removed.until((list) => list.length === 1)
    await postMessage(owner, channel.id, 'after you left')

    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(heard.received, 0)
  })
})
