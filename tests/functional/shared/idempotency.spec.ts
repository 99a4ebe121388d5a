import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import { Invitations } from '#identity/services/invitations'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

const INVITE = '/api/v1/members/invitations'

function invite(
  client: ApiClient,
  tenant: TestTenant,
  body: Record<string, unknown>,
  options: { key?: string; token?: string } = {}
) {
  const request = client
    .post(INVITE)
    .header('host', tenant.host)
    .bearerToken(options.token ?? tenant.ownerToken)
    .json(body)
  return options.key === undefined ? request : request.header('idempotency-key', options.key)
}

async function invitationCount(tenant: TestTenant) {
  const [row] = await db.from(`${tenant.schema}.invitations`).count('* as total')
  return Number(row.total)
}

/** Ages the tenant's record of `key`, as if it was made that long ago. */
async function age(tenant: TestTenant, key: string, interval: string) {
  await db
    .from(`${tenant.schema}.idempotency_keys`)
    .where('key', key)
    .update({ created_at: db.raw(`now() - interval '${interval}'`) })
}

test.group('Idempotency-Key on create endpoints', (group) => {
  group.each.setup(() => resetDatabase())

  test('a retry with the same key replays the first answer and creates nothing', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }

    const first = await invite(client, acme, body, { key: 'invite-ann-1' })
    const retry = await invite(client, acme, body, { key: 'invite-ann-1' })

    first.assertStatus(201)
    assert.isUndefined(first.header('idempotent-replayed'))
    retry.assertStatus(201)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.deepEqual(retry.body(), first.body())
    assert.equal(await invitationCount(acme), 1)
  })

  test('a stored answer does not hold the invitation token in the clear', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const created = await invite(
      client,
      acme,
      { email: 'ann@acme.test', role: 'member' },
      { key: 'k' }
    )

    const [row] = await db.from(`${acme.schema}.idempotency_keys`).where('key', 'k')
    assert.equal(row.status, 201)
    assert.notInclude(row.response, created.body().data.token)
  })

  test('without a key every request creates', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }

    const first = await invite(client, acme, body)
    const second = await invite(client, acme, body)

    first.assertStatus(201)
    second.assertStatus(201)
    assert.notEqual(second.body().data.id, first.body().data.id)
    assert.isUndefined(second.header('idempotent-replayed'))
    assert.equal(await invitationCount(acme), 2)
  })

  test('the same key with a different request is refused', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await invite(client, acme, { email: 'ann@acme.test', role: 'member' }, { key: 'k1' })

    const reused = await invite(
      client,
      acme,
      { email: 'bob@acme.test', role: 'member' },
      { key: 'k1' }
    )

    reused.assertStatus(422)
    assert.equal(errorCode(reused), 'E_IDEMPOTENCY_KEY_REUSED')
    assert.equal(await invitationCount(acme), 1)
  })

  test('concurrent requests with the same key create once', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => invite(client, acme, body, { key: 'racing' }))
    )

    const created = responses.filter(
      (response) => response.status() === 201 && !response.header('idempotent-replayed')
    )
    assert.lengthOf(created, 1)
    for (const response of responses.filter((one) => !created.includes(one))) {
      if (response.status() === 201) {
        assert.deepEqual(response.body(), created[0].body())
      } else {
        response.assertStatus(409)
        assert.equal(errorCode(response), 'E_IDEMPOTENCY_IN_PROGRESS')
        assert.equal(response.header('retry-after'), '1')
      }
    }
    assert.equal(await invitationCount(acme), 1)
  })

  test('a key still in progress answers 409 until its lease runs out', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }
    await invite(client, acme, body, { key: 'slow' })
    // As if the first request were still running.
    await db
      .from(`${acme.schema}.idempotency_keys`)
      .where('key', 'slow')
      .update({ status: null, response: null })

    const busy = await invite(client, acme, body, { key: 'slow' })
    busy.assertStatus(409)
    assert.equal(errorCode(busy), 'E_IDEMPOTENCY_IN_PROGRESS')
    assert.equal(busy.header('retry-after'), '1')

    // After 60 s its process is presumed dead: the retry takes over and
    // runs again (the documented crash window: a second invitation).
    await age(acme, 'slow', '61 seconds')
    const other = await invite(
      client,
      acme,
      { email: 'bob@acme.test', role: 'member' },
      { key: 'slow' }
    )
    assert.equal(errorCode(other), 'E_IDEMPOTENCY_KEY_REUSED')
    const takeover = await invite(client, acme, body, { key: 'slow' })
    takeover.assertStatus(201)
    assert.isUndefined(takeover.header('idempotent-replayed'))
    assert.equal(await invitationCount(acme), 2)

    const replay = await invite(client, acme, body, { key: 'slow' })
    assert.equal(replay.header('idempotent-replayed'), 'true')
    assert.deepEqual(replay.body(), takeover.body())
  })

  test('a key expires after 24 hours', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await invite(client, acme, { email: 'ann@acme.test', role: 'member' }, { key: 'old' })
    await age(acme, 'old', '25 hours')

    // Even with another request: an expired key is a new key.
    const again = await invite(
      client,
      acme,
      { email: 'bob@acme.test', role: 'member' },
      { key: 'old' }
    )

    again.assertStatus(201)
    assert.isUndefined(again.header('idempotent-replayed'))
    assert.equal(again.body().data.email, 'bob@acme.test')
    assert.equal(await invitationCount(acme), 2)
  })

  test("another user's key of the same name is another key", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const admin = await acme.member('admin')
    const body = { email: 'ann@acme.test', role: 'member' }

    const byOwner = await invite(client, acme, body, { key: 'shared' })
    const byAdmin = await invite(client, acme, body, { key: 'shared', token: admin.token })

    byOwner.assertStatus(201)
    byAdmin.assertStatus(201)
    assert.isUndefined(byAdmin.header('idempotent-replayed'))
    assert.notEqual(byAdmin.body().data.id, byOwner.body().data.id)
    assert.equal(await invitationCount(acme), 2)
  })

  test("another tenant's key of the same name is another key", async ({ client, assert }) => {
    // Both owners are user 1 of their own tenant: only the schema tells them apart.
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const body = { email: 'ann@example.test', role: 'member' }

    const inAcme = await invite(client, acme, body, { key: 'shared' })
    const inGlobex = await invite(client, globex, body, { key: 'shared' })

    inAcme.assertStatus(201)
    inGlobex.assertStatus(201)
    assert.isUndefined(inGlobex.header('idempotent-replayed'))
    assert.notEqual(inGlobex.body().data.token, inAcme.body().data.token)
    assert.equal(await invitationCount(acme), 1)
    assert.equal(await invitationCount(globex), 1)
  })

  test('a 4xx answer is stored and replayed', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const invalid = { email: 'not-an-email', role: 'member' }

    const first = await invite(client, acme, invalid, { key: 'typo' })
    const retry = await invite(client, acme, invalid, { key: 'typo' })
    const fixed = await invite(
      client,
      acme,
      { email: 'ann@acme.test', role: 'member' },
      { key: 'typo' }
    )

    first.assertStatus(422)
    assert.equal(errorCode(first), 'E_VALIDATION_ERROR')
    retry.assertStatus(422)
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.deepEqual(retry.body(), first.body())
    // Like Stripe: a key is spent on the request it came with.
    fixed.assertStatus(422)
    assert.equal(errorCode(fixed), 'E_IDEMPOTENCY_KEY_REUSED')
    assert.equal(await invitationCount(acme), 0)
  })

  test('a server error forgets the key, so the client can retry', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }
    class BrokenInvitations extends Invitations {
      async invite(): Promise<never> {
        throw new Error('database went away')
      }
    }
    app.container.swap(Invitations, () => new BrokenInvitations())
    let failed
    try {
      failed = await invite(client, acme, body, { key: 'flaky' })
    } finally {
      app.container.restore(Invitations)
    }

    const retry = await invite(client, acme, body, { key: 'flaky' })

    failed.assertStatus(500)
    retry.assertStatus(201)
    assert.isUndefined(retry.header('idempotent-replayed'))
    assert.equal(await invitationCount(acme), 1)
  })

  test('a malformed key is refused before anything runs', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const body = { email: 'ann@acme.test', role: 'member' }

    for (const key of ['x'.repeat(256), 'clé']) {
      const response = await invite(client, acme, body, { key })
      response.assertStatus(400)
      assert.equal(errorCode(response), 'E_INVALID_IDEMPOTENCY_KEY')
    }
    assert.equal(await invitationCount(acme), 0)
  })

  test('the longest key is accepted', async ({ client }) => {
    const acme = await createTenant('acme')
    const response = await invite(
      client,
      acme,
      { email: 'ann@acme.test', role: 'member' },
      { key: '~'.repeat(255) }
    )
    response.assertStatus(201)
  })

  test('the API reference describes the header and its errors', async ({ client, assert }) => {
    const response = await client.get('/api/v1/openapi.json').header('host', 'localhost')
    const operation = response.body().paths[INVITE].post

    const header = operation.parameters.find(
      (parameter: { name: string }) => parameter.name === 'Idempotency-Key'
    )
    assert.deepInclude(header, { in: 'header', required: false })
    assert.equal(header.schema.maxLength, 255)
    assert.include(operation.responses['409'].description, 'E_IDEMPOTENCY_IN_PROGRESS')
    assert.include(operation.responses['409'].description, 'E_MEMBER_EXISTS')
    assert.include(operation.responses['422'].description, 'E_IDEMPOTENCY_KEY_REUSED')
  })
})
