import { test } from '@japa/runner'
import { createTenant, PASSWORD } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'

test.group('Auth: login', (group) => {
  group.each.setup(() => resetDatabase())

  test('signs in with email and password and reads /me with the token', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'OWNER@acme.test', password: PASSWORD })
    login.assertStatus(201)
    const token = login.body().data.token
    assert.match(token, /^tdm_/)

    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    me.assertStatus(200)
    assert.equal(me.body().data.email, 'owner@acme.test')
    assert.equal(me.body().data.role, 'owner')
  })
})
