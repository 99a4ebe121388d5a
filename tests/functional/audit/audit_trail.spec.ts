import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, PASSWORD } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'

test.group('Audit trail', (group) => {
  group.each.setup(() => resetDatabase())

  test('records each action with actor, target, ip and user agent', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .header('user-agent', 'audit-test/1.0')
      .json({ email: 'owner@acme.test', password: 'wrong password' })
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .header('user-agent', 'audit-test/1.0')
      .json({ email: 'owner@acme.test', password: PASSWORD })
    const token = login.body().data.token
    const invite = await client
      .post('/api/v1/members/invitations')
      .header('host', acme.host)
      .bearerToken(token)
      .json({ email: 'joiner@acme.test', role: 'member' })
    const joined = await client
      .post(`/api/v1/invitations/${invite.body().data.token}/accept`)
      .header('host', acme.host)
      .json({ full_name: 'Joiner', password: PASSWORD })
    const joinerId = joined.body().data.id
    for (const [method, path] of [
      ['patch', `/api/v1/members/${joinerId}`],
      ['post', `/api/v1/members/${joinerId}/deactivate`],
      ['post', `/api/v1/members/${joinerId}/reactivate`],
    ] as const) {
      const response = await client[method](path)
        .header('host', acme.host)
        .bearerToken(token)
        .json({ role: 'admin' })
      response.assertStatus(200)
    }
    await client.post('/api/v1/auth/logout').header('host', acme.host).bearerToken(token)

    const events = await acme.run(() =>
      db.from(`${acme.schema}.audit_events`).orderBy('seq').select('*')
    )
    assert.deepEqual(
      events.map((event) => event.action),
      [
        'tenant.created',
        'auth.login_failed',
        'auth.login',
        'member.invited',
        'member.joined',
        'member.role_changed',
        'member.deactivated',
        'member.reactivated',
        'auth.logout',
      ]
    )
    const login2 = events.find((event) => event.action === 'auth.login')
    assert.equal(login2.actor_type, 'user')
    assert.equal(login2.actor_id, String(acme.owner.id))
    assert.equal(login2.user_agent, 'audit-test/1.0')
    assert.isString(login2.ip)
    const changed = events.find((event) => event.action === 'member.role_changed')
    assert.deepEqual(changed.metadata, { from: 'member', to: 'admin' })
    assert.equal(changed.target_id, String(joinerId))
  })

  test('the database refuses UPDATE, DELETE and TRUNCATE', async ({ assert }) => {
    const acme = await createTenant('acme')
    const table = `${acme.schema}.audit_events`
    await assert.rejects(() => db.rawQuery(`UPDATE ${table} SET action = 'forged'`), /append-only/)
    await assert.rejects(() => db.rawQuery(`DELETE FROM ${table}`), /append-only/)
    await assert.rejects(() => db.rawQuery(`TRUNCATE ${table}`), /append-only/)
    const head = `${acme.schema}.audit_chain_head`
    await assert.rejects(() => db.rawQuery(`DELETE FROM ${head}`), /append-only/)
    const rows = await db.from(table).count('* as total')
    assert.equal(Number(rows[0].total), 1)
  })

  test('admins list events newest first, filtered and paginated', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    for (let attempt = 0; attempt < 3; attempt++) {
      await client
        .post('/api/v1/auth/login')
        .header('host', acme.host)
        .json({ email: 'owner@acme.test', password: `bad ${attempt}` })
    }
    const page1 = await client
      .get('/api/v1/audit-events')
      .qs({ action: 'auth.login_failed', limit: 2 })
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    page1.assertStatus(200)
    assert.lengthOf(page1.body().data, 2)
    assert.isAbove(page1.body().data[0].seq, page1.body().data[1].seq)
    const page2 = await client
      .get('/api/v1/audit-events')
      .qs({ action: 'auth.login_failed', limit: 2, cursor: page1.body().meta.next_cursor })
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.lengthOf(page2.body().data, 1)
    assert.isNull(page2.body().meta.next_cursor)

    const future = await client
      .get('/api/v1/audit-events')
      .qs({ from: '2999-01-01T00:00:00Z' })
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.lengthOf(future.body().data, 0)

    const byActor = await client
      .get('/api/v1/audit-events')
      .qs({ actor_id: 'nobody' })
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.lengthOf(byActor.body().data, 0)
  })

  test("one tenant's audit events never show on another's", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'owner@acme.test', password: 'bad' })
    const response = await client
      .get('/api/v1/audit-events')
      .header('host', globex.host)
      .bearerToken(globex.ownerToken)
    const actions = response.body().data.map((event: { action: string }) => event.action)
    assert.deepEqual(actions, ['tenant.created'])
  })
})
