import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'

test.group('API reference', (group) => {
  group.each.setup(() => resetDatabase())

  test('is a valid OpenAPI 3.1 document', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json').header('host', 'localhost')
    response.assertStatus(200)
    const document = response.body()
    assert.equal(document.openapi, '3.1.0')

    const result = await new Validator().validate(document)
    assert.isTrue(result.valid, JSON.stringify(result.errors, null, 2))
  })

  test('describes every registered route and method', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const response = await client.get('/api/v1/openapi.json').header('host', acme.host)
    response.assertStatus(200)
    const { paths } = response.body()

    const missing = Object.values(router.toJSON())
      .flat()
      .flatMap((route) =>
        route.methods
          .filter((method) => method !== 'HEAD')
          .map((method) => ({ method, path: route.pattern.replace(/:(\w+)/g, '{$1}') }))
      )
      .filter(({ method, path }) => !paths[path]?.[method.toLowerCase()])
    assert.deepEqual(missing, [])
  })

  test('takes request shapes from the validators the routes use', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json').header('host', 'localhost')
    const { paths } = response.body()

    const login = paths['/api/v1/auth/login'].post
    const body = login.requestBody.content['application/json'].schema
    assert.sameMembers(body.required, ['email', 'password'])
    assert.equal(body.properties.email.format, 'email')
    assert.deepEqual(login.security, [])

    const members = paths['/api/v1/members'].get
    const limit = members.parameters.find(
      (parameter: { name: string }) => parameter.name === 'limit'
    )
    assert.equal(limit.in, 'query')
    assert.equal(limit.schema.maximum, 100)
    assert.deepEqual(members.security, [{ accessToken: [] }])
    assert.property(members.responses, '401')

    const update = paths['/api/v1/members/{id}'].patch
    assert.deepEqual(update.parameters[0], {
      name: 'id',
      in: 'path',
      required: true,
      schema: { type: 'integer' },
    })
  })
})
