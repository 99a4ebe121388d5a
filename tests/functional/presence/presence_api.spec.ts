import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { redisPrefix } from '#config/redis'
import type { Presence, PresenceChange } from '#presence/presence'
import { PresenceTracker } from '#presence/services/presence_tracker'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { as } from '#tests/helpers/work'
import { deleteKeys, redisUrl } from '#tests/functional/presence/test_cluster'

/*
 * The REST side, against the application's own tracker (the one the
 * socket gateway feeds): Redis when REDIS_URL is set, memory otherwise.
 */
test.group('Presence API', (group) => {
  group.each.setup(async () => {
    await resetDatabase()
    // Tenant and user ids start again at 1: no presence of earlier tests may linger.
    if (redisUrl) {
      await deleteKeys(redisUrl, `${redisPrefix}:presence:`)
    }
  })

  test('GET /presence reports each distinct id once, in order; ids that are no member are offline', async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { user: member, token } = await acme.member('member')
    const tracker = await app.container.make(PresenceTracker)
    await tracker.connect(acme.id, member.id, 'socket-1')
    cleanup(() => tracker.disconnect('socket-1'))

    const response = await as(client, acme, token).get('/presence', {
      user_ids: `${member.id},${acme.owner.id},9999,${member.id}`,
    })

    response.assertStatus(200)
    const statuses = response.body().data.map((presence: Presence) => presence.status)
    assert.deepEqual(statuses, ['online', 'offline', 'offline'])
    assert.deepEqual(response.body().data[2], {
      user_id: 9999,
      status: 'offline',
      text: null,
      text_expires_at: null,
      last_seen_at: null,
    })
  })

  test("PUT /presence/status sets the caller's text, reports it as a change, and null clears it", async ({
    client,
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('guest')
    const api = as(client, acme, token)
    const tracker = await app.container.make(PresenceTracker)
    const changes: PresenceChange[] = []
    cleanup(tracker.onChange((change) => changes.push(change)))
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString()

    const set = await api.put('/presence/status', { text: ' On holiday ', expires_at: expiresAt })

    set.assertStatus(200)
    assert.include(set.body().data, {
      user_id: user.id,
      text: 'On holiday',
      text_expires_at: expiresAt,
    })
    assert.deepEqual(changes, [{ tenantId: acme.id, presence: set.body().data }])
    const read = await as(client, acme, acme.ownerToken).get('/presence', { user_ids: user.id })
    assert.equal(read.body().data[0].text, 'On holiday')

    const cleared = await api.put('/presence/status', { text: null })
    cleared.assertStatus(200)
    assert.include(cleared.body().data, { text: null, text_expires_at: null })
  })

  test('refuses malformed input', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    const tooMany = Array.from({ length: 501 }, (_, index) => index + 1).join(',')

    const refusals = await Promise.all([
      api.get('/presence'),
      api.get('/presence', { user_ids: '1,two' }),
      api.get('/presence', { user_ids: '1,,2' }),
      api.get('/presence', { user_ids: tooMany }),
      api.put('/presence/status', {}),
      api.put('/presence/status', { text: 'x'.repeat(101) }),
      api.put('/presence/status', { text: 'Away', expires_at: '2020-01-01T00:00:00Z' }),
      api.put('/presence/status', { text: 'Away', emoji: ':palm_tree:' }),
    ])

    assert.deepEqual(
      refusals.map((response) => [response.status(), errorCode(response)]),
      Array.from({ length: 8 }, () => [422, 'E_VALIDATION_ERROR'])
    )
  })

  test("tenants are apart: another tenant's token is refused, and its texts are not seen", async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const acmeOwner = as(client, acme, acme.ownerToken)
    await acmeOwner.put('/presence/status', { text: 'Acme text' }).then((r) => r.assertStatus(200))
    await as(client, globex, globex.ownerToken)
      .put('/presence/status', { text: 'Globex text' })
      .then((response) => response.assertStatus(200))

    const intruder = as(client, acme, globex.ownerToken)
    const refused = await Promise.all([
      intruder.get('/presence', { user_ids: acme.owner.id }),
      intruder.put('/presence/status', { text: 'Hello' }),
    ])

    assert.deepEqual(
      refused.map((response) => response.status()),
      [401, 401]
    )
    // Both owners share an id across the two schemas.
    assert.equal(acme.owner.id, globex.owner.id)
    const read = await acmeOwner.get('/presence', { user_ids: acme.owner.id })
    assert.equal(read.body().data[0].text, 'Acme text')
  })
})
