import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, PASSWORD } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

test.group('Auth', (group) => {
  group.each.setup(() => resetDatabase())

  test('signs in with email and password and reads /me with the token', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'OWNER@acme.test', password: PASSWORD })
    login.assertStatus(201)
    const token = login.body().data.token
    assert.match(token, /^tdm_/)
    assert.isString(login.body().data.expires_at)

    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    me.assertStatus(200)
    assert.equal(me.body().data.email, 'owner@acme.test')
    assert.equal(me.body().data.role, 'owner')
    assert.notProperty(me.body().data, 'password')
  })

  test('a wrong password and an unknown email get the same 401', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const wrong = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'owner@acme.test', password: 'not the password' })
    const unknown = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'nobody@acme.test', password: 'not the password' })
    wrong.assertStatus(401)
    unknown.assertStatus(401)
    assert.equal(errorCode(wrong), 'E_INVALID_CREDENTIALS')
    assert.deepEqual(wrong.body(), unknown.body())
  })

  test('rejects malformed input with field errors', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const response = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'not-an-email' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['email', 'password'])
    assert.equal(errorCode(response), 'E_VALIDATION_ERROR')
  })

  test('after 10 failures from one IP the email is refused with 429, even with the right password', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await client
        .post('/api/v1/auth/login')
        .header('host', acme.host)
        .json({ email: 'owner@acme.test', password: `wrong ${attempt}` })
      response.assertStatus(401)
    }
    const blocked = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'owner@acme.test', password: PASSWORD })
    blocked.assertStatus(429)
    assert.equal(errorCode(blocked), 'E_TOO_MANY_ATTEMPTS')
    assert.isAbove(Number(blocked.header('retry-after')), 0)

    // Unknown emails are throttled the same way: the answer leaks nothing.
    for (let attempt = 0; attempt < 10; attempt++) {
      await client
        .post('/api/v1/auth/login')
        .header('host', acme.host)
        .json({ email: 'ghost@acme.test', password: `wrong ${attempt}` })
    }
    const ghost = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'ghost@acme.test', password: 'wrong again' })
    ghost.assertStatus(429)

    // Another member is not affected.
    const other = await acme.member('member', 'mia@acme.test')
    const fine = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: other.user.email, password: PASSWORD })
    fine.assertStatus(201)
  })

  test('an expired token is refused', async ({ client }) => {
    const acme = await createTenant('acme')
    await db.rawQuery(
      `UPDATE ${acme.schema}.auth_access_tokens SET expires_at = now() - interval '1 minute'`
    )
    const response = await client
      .get('/api/v1/me')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    response.assertStatus(401)
  })

  test('logout revokes the token at once', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const logout = await client
      .post('/api/v1/auth/logout')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    logout.assertStatus(204)
    const after = await client
      .get('/api/v1/me')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    after.assertStatus(401)
    assert.equal(errorCode(after), 'E_UNAUTHORIZED')
  })

  test('a deactivated member can neither use old tokens nor sign in', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member', 'dan@acme.test')
    const deactivate = await client
      .post(`/api/v1/members/${user.id}/deactivate`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    deactivate.assertStatus(200)

    const old = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    old.assertStatus(401)
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'dan@acme.test', password: PASSWORD })
    login.assertStatus(403)
    assert.equal(errorCode(login), 'E_ACCOUNT_DEACTIVATED')
  })

  test("a token of tenant A is refused on tenant B's host", async ({ client }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const response = await client
      .get('/api/v1/me')
      .header('host', globex.host)
      .bearerToken(acme.ownerToken)
    response.assertStatus(401)
    const own = await client
      .get('/api/v1/me')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    own.assertStatus(200)
  })

  test('a garbage or missing token gets 401', async ({ client }) => {
    const acme = await createTenant('acme')
    const none = await client.get('/api/v1/me').header('host', acme.host)
    none.assertStatus(401)
    const garbage = await client.get('/api/v1/me').header('host', acme.host).bearerToken('tdm_x.y')
    garbage.assertStatus(401)
  })
})
