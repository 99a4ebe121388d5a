import { test } from '@japa/runner'
import User from '#identity/models/user'
import { TenantNotBoundException } from '#tenancy/exceptions'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

/**
 * Both tenants get members with the same emails; names say whose they are.
 */
async function seedLookalikes(tenant: TestTenant, label: string, count: number) {
  for (let index = 0; index < count; index++) {
    const { user } = await tenant.member('member', `person${index}@shared.test`)
    await tenant.run(async () => {
      user.fullName = `${label} person ${index}`
      await user.save()
    })
  }
}

test.group('Tenant isolation', (group) => {
  group.each.setup(() => resetDatabase())

  test('500 interleaved concurrent requests of two tenants never see each other', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await seedLookalikes(acme, 'acme', 5)
    await seedLookalikes(globex, 'globex', 5)

    const requests = Array.from({ length: 500 }, (_, index) => {
      const tenant = index % 2 === 0 ? acme : globex
      return client
        .get('/api/v1/members')
        .qs({ limit: 100 })
        .header('host', tenant.host)
        .bearerToken(tenant.ownerToken)
        .then((response) => ({ tenant, response }))
    })

    for (const { tenant, response } of await Promise.all(requests)) {
      response.assertStatus(200)
      const members = response.body().data as { full_name: string; email: string }[]
      assert.lengthOf(members, 6)
      const lookalikes = members.filter((member) => member.email.endsWith('@shared.test'))
      assert.isTrue(
        lookalikes.every((member) => member.full_name.startsWith(`${tenant.slug} `)),
        `${tenant.slug} saw another tenant's members`
      )
    }
  }).timeout(120_000)

  test("ids of one tenant reach nothing on the other's host", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    // Acme has more members, so its highest ids do not exist at Globex.
    await seedLookalikes(acme, 'acme', 4)
    const { user: acmeOnly } = await acme.member('member', 'only@acme.test')

    const response = await client
      .post(`/api/v1/members/${acmeOnly.id}/deactivate`)
      .header('host', globex.host)
      .bearerToken(globex.ownerToken)
    response.assertStatus(404)
    assert.equal(errorCode(response), 'E_NOT_FOUND')

    const stillActive = await acme.run(() => User.findOrFail(acmeOnly.id))
    assert.equal(stillActive.status, 'active')
  })

  test('a tenant model queried with no tenant bound throws instead of reading a schema', async ({
    assert,
  }) => {
    await createTenant('acme')
    await assert.rejects(() => User.query().first(), TenantNotBoundException)
    assert.throws(() => User.table, 'no tenant bound')
  })

  test('an unknown host gets 404 E_TENANT_NOT_FOUND', async ({ client, assert }) => {
    const response = await client.get('/api/v1/me').header('host', 'nobody.localhost')
    response.assertStatus(404)
    assert.equal(errorCode(response), 'E_TENANT_NOT_FOUND')
  })

  test('the bare domain serves no tenant routes, and tenant hosts serve no signup', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const bare = await client.get('/api/v1/me').header('host', 'localhost')
    bare.assertStatus(404)
    assert.equal(errorCode(bare), 'E_TENANT_NOT_FOUND')

    const signup = await client
      .post('/api/v1/organizations')
      .header('host', acme.host)
      .json({ slug: 'x' })
    signup.assertStatus(404)
  })

  test('a tenant created after the server started is served at once', async ({ client }) => {
    const before = await client.get('/api/v1/me').header('host', 'latecomer.localhost')
    before.assertStatus(404)
    const late = await createTenant('latecomer')
    const after = await client
      .get('/api/v1/me')
      .header('host', late.host)
      .bearerToken(late.ownerToken)
    after.assertStatus(200)
  })
})
