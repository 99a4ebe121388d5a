import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

const signup = {
  slug: 'initech',
  name: 'Initech',
  admin: { email: 'Bill@Initech.test', password: 'tps reports 4ever', full_name: 'Bill L' },
}

test.group('Self-service signup', (group) => {
  group.each.setup(() => resetDatabase())

  test('creates an organization and returns its URL and an admin token', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/api/v1/organizations')
      .header('host', 'localhost')
      .json(signup)
    response.assertStatus(201)
    const { data } = response.body()
    assert.equal(data.slug, 'initech')
    assert.match(data.url, /^http:\/\/initech\.localhost(:\d+)?$/)
    assert.equal(data.admin.role, 'owner')
    assert.equal(data.admin.email, 'bill@initech.test')

    const me = await client
      .get('/api/v1/me')
      .header('host', 'initech.localhost')
      .bearerToken(data.token)
    me.assertStatus(200)
    assert.equal(me.body().data.full_name, 'Bill L')
  })

  test('a taken slug is a 409 and changes nothing', async ({ client, assert }) => {
    await client.post('/api/v1/organizations').header('host', 'localhost').json(signup)
    const again = await client
      .post('/api/v1/organizations')
      .header('host', 'localhost')
      .json({ ...signup, name: 'Other', admin: { ...signup.admin, email: 'x@y.test' } })
    again.assertStatus(409)
    assert.equal(errorCode(again), 'E_TENANT_EXISTS')
  })

  test('two concurrent signups for one slug: one is created, the other gets 409', async ({
    client,
    assert,
  }) => {
    for (const slug of ['race-one', 'race-two', 'race-three']) {
      const attempt = (email: string) =>
        client
          .post('/api/v1/organizations')
          .header('host', 'localhost')
          .json({ ...signup, slug, admin: { ...signup.admin, email } })
      const responses = await Promise.all([attempt('a@race.test'), attempt('b@race.test')])
      assert.sameMembers(
        responses.map((response) => response.status()),
        [201, 409],
        slug
      )
    }
  })

  test('rejects {$self}')
    .with(['www', 'Bad_Slug', '1abc'])
    .run(async ({ client, assert }, slug) => {
      const response = await client
        .post('/api/v1/organizations')
        .header('host', 'localhost')
        .json({ ...signup, slug })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'slug')
    })

  test('refuses fields it does not know, nested ones included, and creates nothing', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/api/v1/organizations')
      .header('host', 'localhost')
      .json({ ...signup, plan: 'enterprise', admin: { ...signup.admin, role: 'owner' } })
    response.assertStatus(422)
    assert.sameMembers(
      response.body().errors.map((error: { field: string }) => error.field),
      ['plan', 'admin.role']
    )
    const taken = await client
      .post('/api/v1/organizations')
      .header('host', 'localhost')
      .json(signup)
    taken.assertStatus(201)
  })

  test('validates the admin block', async ({ client, assert }) => {
    const response = await client
      .post('/api/v1/organizations')
      .header('host', 'localhost')
      .json({ slug: 'ok-slug', name: 'Ok', admin: { email: 'nope', password: 'short' } })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['admin.email', 'admin.password', 'admin.full_name'])
  })
})
