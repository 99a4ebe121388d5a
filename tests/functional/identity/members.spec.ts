import { test } from '@japa/runner'
import { createTenant, PASSWORD } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'

test.group('Members', (group) => {
  group.each.setup(() => resetDatabase())

  test('lists members with cursor pagination', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    for (let index = 0; index < 4; index++) {
      await acme.member('member')
    }
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const response = await client
        .get('/api/v1/members')
        .qs(cursor ? { limit: 2, cursor } : { limit: 2 })
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
      response.assertStatus(200)
      seen.push(...response.body().data.map((member: { id: number }) => member.id))
      cursor = response.body().meta.next_cursor
    } while (cursor)
    assert.lengthOf(seen, 5)
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b)
    )

    const tooMany = await client
      .get('/api/v1/members')
      .qs({ limit: 1000 })
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    tooMany.assertStatus(422)
  })

  test('an admin invites, the invitee accepts and signs in', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const admin = await acme.member('admin')
    const invite = await client
      .post('/api/v1/members/invitations')
      .header('host', acme.host)
      .bearerToken(admin.token)
      .json({ email: 'New.Person@acme.test', role: 'member' })
    invite.assertStatus(201)
    const { token } = invite.body().data

    const accept = await client
      .post(`/api/v1/invitations/${token}/accept`)
      .header('host', acme.host)
      .json({ full_name: 'New Person', password: PASSWORD })
    accept.assertStatus(201)
    assert.equal(accept.body().data.email, 'new.person@acme.test')
    assert.equal(accept.body().data.role, 'member')

    const again = await client
      .post(`/api/v1/invitations/${token}/accept`)
      .header('host', acme.host)
      .json({ full_name: 'Someone Else', password: PASSWORD })
    again.assertStatus(404)
    assert.equal(errorCode(again), 'E_INVITATION_INVALID')

    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'new.person@acme.test', password: PASSWORD })
    login.assertStatus(201)
  })

  test("an invitation token does not work on another tenant's host", async ({ client }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const invite = await client
      .post('/api/v1/members/invitations')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ email: 'x@acme.test', role: 'guest' })
    const accept = await client
      .post(`/api/v1/invitations/${invite.body().data.token}/accept`)
      .header('host', globex.host)
      .json({ full_name: 'X', password: PASSWORD })
    accept.assertStatus(404)
  })

  test('inviting an existing member is a 409', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const response = await client
      .post('/api/v1/members/invitations')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ email: 'owner@acme.test', role: 'member' })
    response.assertStatus(409)
    assert.equal(errorCode(response), 'E_MEMBER_EXISTS')
  })

  test('admins change roles but cannot touch owners', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const admin = await acme.member('admin')
    const member = await acme.member('member')

    const promote = await client
      .patch(`/api/v1/members/${member.user.id}`)
      .header('host', acme.host)
      .bearerToken(admin.token)
      .json({ role: 'admin' })
    promote.assertStatus(200)
    assert.equal(promote.body().data.role, 'admin')

    const demoteOwner = await client
      .patch(`/api/v1/members/${acme.owner.id}`)
      .header('host', acme.host)
      .bearerToken(admin.token)
      .json({ role: 'member' })
    demoteOwner.assertStatus(403)

    const makeOwner = await client
      .patch(`/api/v1/members/${member.user.id}`)
      .header('host', acme.host)
      .bearerToken(admin.token)
      .json({ role: 'owner' })
    makeOwner.assertStatus(403)
  })

  test('the last owner can be neither demoted nor deactivated', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const coOwner = await acme.member('owner')

    const demoteSelf = await client
      .patch(`/api/v1/members/${acme.owner.id}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ role: 'admin' })
    demoteSelf.assertStatus(200)

    const demoteLast = await client
      .patch(`/api/v1/members/${coOwner.user.id}`)
      .header('host', acme.host)
      .bearerToken(coOwner.token)
      .json({ role: 'admin' })
    demoteLast.assertStatus(409)
    assert.equal(errorCode(demoteLast), 'E_LAST_OWNER')
  })

  test('deactivation revokes every token; reactivation restores sign-in', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const member = await acme.member('member', 'rita@acme.test')
    const second = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'rita@acme.test', password: PASSWORD })
    const secondToken = second.body().data.token

    const deactivate = await client
      .post(`/api/v1/members/${member.user.id}/deactivate`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    deactivate.assertStatus(200)
    assert.equal(deactivate.body().data.status, 'deactivated')

    for (const token of [member.token, secondToken]) {
      const response = await client.get('/api/v1/me').header('host', acme.host).bearerToken(token)
      response.assertStatus(401)
    }

    const reactivate = await client
      .post(`/api/v1/members/${member.user.id}/reactivate`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    reactivate.assertStatus(200)
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'rita@acme.test', password: PASSWORD })
    login.assertStatus(201)
  })

  test('validates role changes', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const member = await acme.member('member')
    const response = await client
      .patch(`/api/v1/members/${member.user.id}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ role: 'emperor' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'role')
  })
})
