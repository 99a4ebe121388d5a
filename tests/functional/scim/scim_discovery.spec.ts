import { test } from '@japa/runner'
import { expectStatus } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, scimFor } from '#tests/helpers/scim'

test.group('SCIM discovery', (group) => {
  group.each.setup(() => resetDatabase())

  test('ServiceProviderConfig declares what the server supports', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const response = await scim.get('/ServiceProviderConfig')

    response.assertStatus(200)
    const config = response.body()
    assert.deepEqual(config.schemas, [
      'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
    ])
    assert.isTrue(config.patch.supported)
    assert.isFalse(config.bulk.supported)
    assert.deepEqual(config.filter, { supported: true, maxResults: 1000 })
    assert.isTrue(config.sort.supported)
    assert.isTrue(config.etag.supported)
    assert.isFalse(config.changePassword.supported)
    assert.equal(config.authenticationSchemes[0].type, 'oauthbearertoken')
    assert.equal(config.meta.location, `http://${acme.host}/scim/v2/ServiceProviderConfig`)
  })

  test('ResourceTypes and Schemas describe Users, the enterprise extension and Groups', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const types = await scim.get('/ResourceTypes')
    assert.equal(types.body().totalResults, 2)
    const user = await scim.get('/ResourceTypes/User')
    assert.equal(user.body().endpoint, '/Users')
    assert.deepEqual(user.body().schemaExtensions, [{ schema: SCIM_ENTERPRISE, required: false }])

    const schemas = await scim.get('/Schemas')
    assert.deepEqual(
      schemas.body().Resources.map((schema: { id: string }) => schema.id),
      [SCIM_USER, SCIM_ENTERPRISE, SCIM_GROUP]
    )
    const userSchema = await scim.get(`/Schemas/${SCIM_USER}`)
    const userName = userSchema
      .body()
      .attributes.find((attribute: { name: string }) => attribute.name === 'userName')
    assert.include(userName, { required: true, uniqueness: 'server', caseExact: false })
    await expectStatus(scim.get('/Schemas/urn:nothing'), 404)
  })

  test('discovery resources are read-only (405); /Me and /Bulk are not offered (501)', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas', '/Schemas/x']) {
      for (const response of [
        await scim.post(path, {}),
        await scim.put(path, {}),
        await scim.patch(path, []),
        await scim.delete(path),
      ]) {
        response.assertStatus(405)
        assert.equal(response.header('allow'), 'GET')
        assert.equal(response.body().status, '405')
      }
    }
    await expectStatus(scim.get('/Me'), 501)
    await expectStatus(scim.post('/Bulk', { schemas: [] }), 501)
  })

  test('unknown SCIM paths answer 404 in the SCIM error form', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const response = await scim.get('/Nothing')
    response.assertStatus(404)
    assert.equal(response.body().status, '404')
  })
})
