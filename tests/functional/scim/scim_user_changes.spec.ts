import { test } from '@japa/runner'
import { expectStatus } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import {
  accessTokenFor,
  oktaUser,
  SCIM_ENTERPRISE,
  SCIM_USER,
  scimFor,
  memberStatus,
} from '#tests/helpers/scim'
import { closeAll, closedByServer, connectSocket, refusal } from '#tests/helpers/realtime'
import AuditEvent from '#audit/models/audit_event'
import User from '#identity/models/user'

async function provisioned(client: Parameters<typeof scimFor>[0], userName = 'ada@acme.test') {
  const acme = await createTenant('acme')
  const scim = await scimFor(client, acme)
  const created = await scim.post('/Users', oktaUser(userName))
  created.assertStatus(201)
  return { acme, scim, user: created.body(), id: created.body().id as string }
}

test.group('SCIM Users | PUT and PATCH', (group) => {
  group.each.setup(() => resetDatabase())

  test('PUT replaces the user: attributes left out are cleared (Okta)', async ({
    client,
    assert,
  }) => {
    const { acme, scim, id } = await provisioned(client)

    const response = await scim.put(
      `/Users/${id}`,
      oktaUser('ada@acme.test', {
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        displayName: 'Ada Lovelace',
        title: 'Countess',
        emails: [{ value: 'ada.lovelace@acme.test', type: 'work', primary: true }],
      })
    )

    response.assertStatus(200)
    assert.equal(response.body().title, 'Countess')
    assert.deepEqual(response.body().name, { givenName: 'Ada', familyName: 'Lovelace' })
    const member = await acme.run(() => User.findOrFail(Number(id)))
    assert.equal(member.email, 'ada.lovelace@acme.test')
    assert.equal(member.fullName, 'Ada Lovelace')

    const cleared = await scim.put(`/Users/${id}`, oktaUser('ada@acme.test'))
    assert.notProperty(cleared.body(), 'title')
  })

  test('Okta toggles active with a path-less PATCH replace', async ({ client, assert }) => {
    const { acme, scim, id } = await provisioned(client)

    const off = await scim.patch(`/Users/${id}`, [{ op: 'replace', value: { active: false } }])
    off.assertStatus(200)
    assert.isFalse(off.body().active)
    assert.equal(await memberStatus(acme, id), 'deactivated')

    const on = await scim.patch(`/Users/${id}`, [{ op: 'replace', value: { active: true } }])
    assert.isTrue(on.body().active)
    assert.equal(await memberStatus(acme, id), 'active')
  })

  test("Microsoft Entra's PATCH dialect is understood", async ({ client, assert }) => {
    const { acme, scim, id } = await provisioned(client)

    const response = await scim.patch(`/Users/${id}`, [
      { op: 'Replace', path: 'displayName', value: 'Ada King' },
      {
        op: 'Replace',
        value: {
          'name.givenName': 'Ada',
          'name.familyName': 'King',
          [`${SCIM_ENTERPRISE}:department`]: 'Analytical Engines',
        },
      },
      { op: 'Add', path: 'emails[type eq "home"].value', value: 'ada@home.test' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ada.king@acme.test' },
      { op: 'Add', path: 'title', value: 'Countess' },
      { op: 'Remove', path: 'title' },
      { op: 'Replace', path: 'active', value: 'False' },
    ])

    response.assertStatus(200)
    const user = response.body()
    assert.equal(user.displayName, 'Ada King')
    assert.equal(user.name.givenName, 'Ada')
    assert.equal(user.name.familyName, 'King')
    assert.equal(user[SCIM_ENTERPRISE].department, 'Analytical Engines')
    assert.include(user.schemas, SCIM_ENTERPRISE)
    assert.notProperty(user, 'title')
    assert.isFalse(user.active)
    const work = user.emails.find((email: { type: string }) => email.type === 'work')
    assert.equal(work.value, 'ada.king@acme.test')
    const member = await acme.run(() => User.findOrFail(Number(id)))
    assert.equal(member.email, 'ada.king@acme.test')
    assert.equal(member.status, 'deactivated')
  })

  test('a PATCH that fails part-way changes nothing', async ({ client, assert }) => {
    const { scim, id, user } = await provisioned(client)

    const response = await scim.patch(`/Users/${id}`, [
      { op: 'replace', path: 'displayName', value: 'Someone Else' },
      { op: 'replace', path: 'id', value: '7' },
    ])

    response.assertStatus(400)
    assert.equal(response.body().scimType, 'mutability')
    const after = await scim.get(`/Users/${id}`)
    assert.equal(after.body().displayName, user.displayName)
    assert.equal(after.body().meta.version, user.meta.version)
  })

  test('bad PATCH messages are refused: wrong schema, no operations, unknown op, bad path', async ({
    client,
    assert,
  }) => {
    const { acme, scim, id } = await provisioned(client)

    const wrongSchema = await client
      .patch(`/scim/v2/Users/${id}`)
      .header('host', acme.host)
      .bearerToken(scim.token)
      .json({ schemas: [SCIM_USER], Operations: [{ op: 'add', path: 'title', value: 'x' }] })
    wrongSchema.assertStatus(400)
    assert.equal(wrongSchema.body().scimType, 'invalidValue')
    const none = await scim.patch(`/Users/${id}`, [])
    none.assertStatus(400)
    const unknownOp = await scim.patch(`/Users/${id}`, [{ op: 'move', path: 'title', value: 'x' }])
    unknownOp.assertStatus(400)
    assert.equal(unknownOp.body().scimType, 'invalidSyntax')
    const badPath = await scim.patch(`/Users/${id}`, [{ op: 'add', path: 'nosuch', value: 'x' }])
    badPath.assertStatus(400)
    assert.equal(badPath.body().scimType, 'invalidPath')
  })

  test('If-Match with an outdated version is refused with 412', async ({ client, assert }) => {
    const { scim, id, user } = await provisioned(client)
    await scim.patch(`/Users/${id}`, [{ op: 'replace', path: 'title', value: 'First' }])

    const stale = await scim
      .patch(`/Users/${id}`, [{ op: 'replace', path: 'title', value: 'Second' }])
      .header('if-match', user.meta.version)
    stale.assertStatus(412)

    const current = await scim.get(`/Users/${id}`)
    assert.equal(current.body().title, 'First')
    const fresh = await scim
      .patch(`/Users/${id}`, [{ op: 'replace', path: 'title', value: 'Second' }])
      .header('if-match', current.body().meta.version)
    fresh.assertStatus(200)
  })

  test('changing userName to one another member holds is 409', async ({ client, assert }) => {
    const { scim, id } = await provisioned(client)
    const response = await scim.patch(`/Users/${id}`, [
      { op: 'replace', path: 'userName', value: 'Owner@Acme.Test' },
    ])
    response.assertStatus(409)
    assert.equal(response.body().scimType, 'uniqueness')
  })
})

test.group('SCIM Users | deprovisioning', (group) => {
  group.each.setup(() => resetDatabase())

  test('active=false revokes every token of the member and closes their sockets at once', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, scim, id } = await provisioned(client)
    const token = await accessTokenFor(acme, Number(id))
    const socket = await connectSocket({ host: acme.host, token })
    cleanup(() => closeAll(socket))
    const closed = closedByServer(socket, 2_000)

    const response = await scim.patch(`/Users/${id}`, [
      { op: 'replace', path: 'active', value: false },
    ])

    response.assertStatus(200)
    assert.equal(await closed, 'io server disconnect')
    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    me.assertStatus(401)
    assert.equal(await refusal({ host: acme.host, token }), 'E_UNAUTHORIZED')
  })

  test('DELETE deactivates the member, keeps the account, and the resource is gone (404)', async ({
    client,
    assert,
  }) => {
    const { acme, scim, id } = await provisioned(client)
    const token = await accessTokenFor(acme, Number(id))

    const response = await scim.delete(`/Users/${id}`)

    response.assertStatus(204)
    const member = await acme.run(() => User.findOrFail(Number(id)))
    assert.equal(member.status, 'deactivated')
    assert.equal(member.deactivationSource, 'scim')
    const me = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
    me.assertStatus(401)
    await expectStatus(scim.get(`/Users/${id}`), 404)
    await expectStatus(
      scim.patch(`/Users/${id}`, [{ op: 'replace', path: 'title', value: 'x' }]),
      404
    )
    await expectStatus(scim.delete(`/Users/${id}`), 404)
    const list = await scim.get(
      `/Users?filter=${encodeURIComponent('userName eq "ada@acme.test"')}`
    )
    assert.equal(list.body().totalResults, 0)
  })

  test('provisioning a deleted user again restores the same member', async ({ client, assert }) => {
    const { acme, scim, id } = await provisioned(client)
    await scim.delete(`/Users/${id}`)

    const again = await scim.post('/Users', oktaUser('ada@acme.test', { title: 'Back' }))

    again.assertStatus(201)
    assert.equal(again.body().id, id)
    assert.isTrue(again.body().active)
    const member = await acme.run(() => User.findOrFail(Number(id)))
    assert.equal(member.status, 'active')
  })

  test('a member an admin deactivated stays deactivated when the IdP says active', async ({
    client,
    assert,
  }) => {
    const { acme, scim, id } = await provisioned(client)
    const deactivated = await client
      .post(`/api/v1/members/${id}/deactivate`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    deactivated.assertStatus(200)

    const response = await scim.put(`/Users/${id}`, oktaUser('ada@acme.test', { active: true }))

    response.assertStatus(200)
    assert.isFalse(response.body().active)
    const member = await acme.run(() => User.findOrFail(Number(id)))
    assert.equal(member.status, 'deactivated')
    assert.equal(member.deactivationSource, 'admin')
  })

  test('the last owner cannot be deactivated by SCIM', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const response = await scim.patch(`/Users/${acme.owner.id}`, [
      { op: 'replace', path: 'active', value: false },
    ])

    response.assertStatus(409)
    assert.equal(response.body().status, '409')
    const owner = await acme.run(() => User.findOrFail(acme.owner.id))
    assert.equal(owner.status, 'active')
  })

  test('every SCIM change is audited with the token that made it', async ({ client, assert }) => {
    const { acme, scim, id } = await provisioned(client)
    await scim.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: false }])
    await scim.delete(`/Users/${id}`)

    const events = await acme.run(() =>
      AuditEvent.query().where('actor_type', 'scim_token').orderBy('seq')
    )
    assert.deepEqual(
      events.map((event) => event.action),
      ['scim.user_created', 'scim.user_updated', 'member.deactivated', 'scim.user_deleted']
    )
    const tokenIds = new Set(events.map((event) => event.actorId))
    assert.equal(tokenIds.size, 1)
    const created = events[0]
    assert.equal(created.targetId, id)
    assert.equal(created.metadata.token_name, 'Okta')
  })
})
