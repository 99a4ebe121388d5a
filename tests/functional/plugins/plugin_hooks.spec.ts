import { test } from '@japa/runner'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { as } from '#tests/helpers/work'
import { createChannel, clientId } from '#tests/helpers/messaging'
import { installPlugin } from '#tests/helpers/plugins'
import { closeAll, command, connectSocket } from '#tests/helpers/realtime'

test.group('Plugins: hooks and socket events', (group) => {
  group.each.setup(() => resetDatabase())

  test('message.beforePost rewrites or refuses a message, over REST and sockets alike', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['messages:read'] })
    const channel = await createChannel(owner)

    const rewritten = await owner.post(`/channels/${channel.id}/messages`, {
      body: 'teh plan',
      client_id: clientId(),
    })
    rewritten.assertStatus(201)
    assert.equal(rewritten.body().data.body, 'the plan')

    const refused = await owner.post(`/channels/${channel.id}/messages`, {
      body: 'a forbidden word',
      client_id: clientId(),
    })
    refused.assertStatus(422)
    assert.deepEqual(refused.body().errors, [
      {
        code: 'E_MESSAGE_REFUSED',
        message: 'Probe: forbidden words are not posted here',
        field: 'body',
      },
    ])

    const socket = await connectSocket({ host: acme.host, token: acme.ownerToken })
    await command(socket, 'channel:join', { channel_id: channel.id })
    const sent = await command(socket, 'message:send', {
      channel_id: channel.id,
      body: 'teh socket',
      client_id: clientId(),
    })
    assert.isTrue(sent.ok)
    assert.equal(sent.data.message.body, 'the socket')
    const refusedOnSocket = await command(socket, 'message:send', {
      channel_id: channel.id,
      body: 'forbidden too',
      client_id: clientId(),
    })
    assert.equal(refusedOnSocket.errors?.[0].code, 'E_MESSAGE_REFUSED')
    closeAll(socket)

    const history = await owner.get(`/channels/${channel.id}/messages`)
    assert.sameMembers(
      history.body().data.map((message: { body: string }) => message.body),
      ['the plan', 'the socket']
    )
  })

  test('a hook that runs out of time is skipped: the message is posted as written', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['messages:read'] })
    const channel = await createChannel(owner)

    const started = Date.now()
    const posted = await owner.post(`/channels/${channel.id}/messages`, {
      body: 'teh slow hook',
      client_id: clientId(),
    })
    posted.assertStatus(201)
    assert.equal(posted.body().data.body, 'teh slow hook')
    assert.isBelow(Date.now() - started, 900)
    const state = await owner.get('/plugins/probe')
    assert.match(state.body().data.installation.last_error, /did not finish within 300 ms/)
  })

  test('hooks of plugins without messages:read, disabled or elsewhere are not consulted', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const acmeApi = as(client, acme, acme.ownerToken)
    await installPlugin(client, acme, 'probe', { permissions: ['tasks:read'] })
    await installPlugin(client, globex, 'probe', { permissions: ['messages:read'], enabled: false })
    const channel = await createChannel(acmeApi)
    const posted = await acmeApi.post(`/channels/${channel.id}/messages`, {
      body: 'teh forbidden',
      client_id: clientId(),
    })
    assert.equal(posted.body().data.body, 'teh forbidden')

    const globexApi = as(client, globex, globex.ownerToken)
    const other = await createChannel(globexApi)
    const globexPost = await globexApi.post(`/channels/${other.id}/messages`, {
      body: 'teh forbidden',
      client_id: clientId(),
    })
    globexPost.assertStatus(201)
  })

  test('socket events reach the plugin enabled in the socket’s workspace', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const { user, token } = await acme.member('member')
    await installPlugin(client, acme, 'probe')

    const socket = await connectSocket({ host: acme.host, token })
    const echoed = await command(socket, 'plugin:probe:echo', { hello: 'world' })
    assert.deepEqual(echoed, {
      ok: true,
      data: { member_id: user.id, tenant: 'acme', payload: { hello: 'world' } },
    })

    const outsider = await connectSocket({ host: globex.host, token: globex.ownerToken })
    const refused = await command(outsider, 'plugin:probe:echo', {})
    assert.isFalse(refused.ok)
    assert.equal(refused.errors?.[0].code, 'E_PLUGIN_NOT_INSTALLED')

    await as(client, acme, acme.ownerToken).post('/plugins/probe/disable')
    const disabled = await command(socket, 'plugin:probe:echo', {})
    assert.equal(disabled.errors?.[0].code, 'E_PLUGIN_NOT_INSTALLED')
    closeAll(socket, outsider)
    assert.equal(
      errorCode(await as(client, acme, token).get('/plugins/probe/whoami')),
      'E_PLUGIN_NOT_INSTALLED'
    )
  })
})
