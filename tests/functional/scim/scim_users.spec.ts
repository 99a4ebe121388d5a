import { test } from '@japa/runner'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { oktaUser, SCIM_ENTERPRISE, SCIM_ERROR, SCIM_USER, scimFor } from '#tests/helpers/scim'
import User from '#identity/models/user'

test.group('SCIM Users | create and read', (group) => {
  group.each.setup(() => resetDatabase())

  test('POST creates a member and answers 201 with the resource, Location and ETag', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const response = await scim.post(
      '/Users',
      oktaUser('ada@acme.test', {
        externalId: '00u1abc',
        [SCIM_ENTERPRISE]: { department: 'R&D', employeeNumber: '42' },
      })
    )

    response.assertStatus(201)
    assert.match(response.header('content-type') ?? '', /^application\/scim\+json/)
    const user = response.body()
    assert.equal(user.userName, 'ada@acme.test')
    assert.equal(user.externalId, '00u1abc')
    assert.equal(user.displayName, 'ada Tester')
    assert.isTrue(user.active)
    assert.deepEqual(user.schemas, [SCIM_USER, SCIM_ENTERPRISE])
    assert.equal(user[SCIM_ENTERPRISE].department, 'R&D')
    assert.deepEqual(user.groups, [])
    const location = `http://${acme.host}/scim/v2/Users/${user.id}`
    assert.equal(response.header('location'), location)
    assert.equal(user.meta.location, location)
    assert.equal(user.meta.resourceType, 'User')
    assert.match(user.meta.version, /^W\/".+"$/)
    assert.equal(response.header('etag'), user.meta.version)
    assert.isString(user.meta.created)
    assert.isString(user.meta.lastModified)

    // The member exists in Tandem, with no password to sign in with.
    const member = await acme.run(() => User.findOrFail(Number(user.id)))
    assert.equal(member.email, 'ada@acme.test')
    assert.equal(member.fullName, 'ada Tester')
    assert.equal(member.role, 'member')
    assert.isNull(member.password)
    const login = await client
      .post('/api/v1/auth/login')
      .header('host', acme.host)
      .json({ email: 'ada@acme.test', password: 'anything at all' })
    login.assertStatus(401)

    const read = await scim.get(`/Users/${user.id}`)
    read.assertStatus(200)
    assert.deepEqual(read.body(), user)
  })

  test('userName is unique case-insensitively: 409 uniqueness in the RFC 7644 error form', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    await scim.post('/Users', oktaUser('ada@acme.test')).then((r) => r.assertStatus(201))

    const again = await scim.post(
      '/Users',
      oktaUser('ADA@Acme.Test', { emails: [{ value: 'other@acme.test', primary: true }] })
    )

    again.assertStatus(409)
    assert.match(again.header('content-type') ?? '', /^application\/scim\+json/)
    assert.deepEqual(again.body(), {
      schemas: [SCIM_ERROR],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName is already taken in this workspace',
    })
    const count = await acme.run(() => User.query().count('* as total'))
    assert.equal(Number(count[0].$extras.total), 2)
  })

  test('members who were never provisioned are users, found by their email as userName', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const found = await scim.get(
      `/Users?filter=${encodeURIComponent('userName eq "OWNER@acme.test"')}`
    )

    found.assertStatus(200)
    assert.equal(found.body().totalResults, 1)
    const [owner] = found.body().Resources
    assert.equal(owner.id, String(acme.owner.id))
    assert.equal(owner.userName, 'owner@acme.test')
    assert.deepEqual(owner.emails, [{ value: 'owner@acme.test', type: 'work', primary: true }])
    // Creating them again is a conflict, not a duplicate account.
    const duplicate = await scim.post('/Users', oktaUser('owner@acme.test'))
    duplicate.assertStatus(409)
  })

  test('a user without any email address is refused with invalidValue', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const response = await scim.post('/Users', { schemas: [SCIM_USER], userName: 'ada' })

    response.assertStatus(400)
    assert.equal(response.body().scimType, 'invalidValue')
    assert.equal(response.body().status, '400')
  })

  test('malformed values are refused with invalidValue and nothing is written', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    const cases = [
      oktaUser('ada@acme.test', { emails: [{ value: 'not an email', primary: true }] }),
      oktaUser('ada@acme.test', { active: 'maybe' }),
      oktaUser('ada@acme.test', { name: 'Ada' }),
      { schemas: [SCIM_USER], userName: '' },
    ]
    for (const body of cases) {
      const response = await scim.post('/Users', body)
      response.assertStatus(400)
      assert.equal(response.body().scimType, 'invalidValue')
    }
    const users = await acme.run(() => User.query().where('email', 'ada@acme.test'))
    assert.lengthOf(users, 0)
  })

  test('an unknown id is 404 in the SCIM error form', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)

    for (const id of ['999999', 'not-a-number']) {
      const response = await scim.get(`/Users/${id}`)
      response.assertStatus(404)
      assert.equal(response.body().schemas[0], SCIM_ERROR)
      assert.equal(response.body().status, '404')
    }
  })

  test('If-None-Match with the current version answers 304', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const created = await scim.post('/Users', oktaUser('ada@acme.test'))

    const unchanged = await scim
      .get(`/Users/${created.body().id}`)
      .header('if-none-match', created.body().meta.version)

    unchanged.assertStatus(304)
    assert.equal(created.header('etag'), created.body().meta.version)
  })
})

test.group('SCIM Users | list, filter, sort, page, project', (group) => {
  group.each.setup(() => resetDatabase())

  async function seeded(client: Parameters<typeof scimFor>[0]) {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const people = [
      ['ada@acme.test', 'Ada', 'Lovelace', 'Engineering', 'work'],
      ['grace@acme.test', 'Grace', 'Hopper', 'Engineering', 'home'],
      ['alan@acme.test', 'Alan', 'Turing', 'Research', 'work'],
      ['edsger@acme.test', 'Edsger', 'Dijkstra', 'Research', 'work'],
    ]
    const ids: Record<string, string> = {}
    for (const [userName, given, family, department, emailType] of people) {
      const response = await scim.post('/Users', {
        schemas: [SCIM_USER, SCIM_ENTERPRISE],
        userName,
        name: { givenName: given, familyName: family },
        emails: [
          { value: userName, type: emailType, primary: true },
          { value: `${given.toLowerCase()}@home.test`, type: 'home' },
        ],
        [SCIM_ENTERPRISE]: { department },
      })
      response.assertStatus(201)
      ids[given] = response.body().id
    }
    return { acme, scim, ids }
  }

  const names = (body: { Resources: { name?: { givenName?: string } }[] }) =>
    body.Resources.map((user) => user.name?.givenName)

  test('filters select users by any attribute, with and/or/not and value paths', async ({
    client,
    assert,
  }) => {
    const { scim } = await seeded(client)
    const cases: [string, (string | undefined)[]][] = [
      ['userName eq "GRACE@acme.test"', ['Grace']],
      ['name.familyName sw "T"', ['Alan']],
      ['userName ew "@acme.test" and name.givenName co "a"', ['Ada', 'Grace', 'Alan']],
      [`${SCIM_ENTERPRISE}:department eq "Research"`, ['Alan', 'Edsger']],
      // The owner was never provisioned: their email reads as a work email.
      ['emails[type eq "work" and value co "@acme"]', [undefined, 'Ada', 'Alan', 'Edsger']],
      ['emails[type eq "work"].value eq "grace@acme.test"', []],
      [
        'not (name.givenName eq "Ada") and userName ne "owner@acme.test"',
        ['Grace', 'Alan', 'Edsger'],
      ],
      ['(name.givenName eq "Ada" or name.givenName eq "Alan") and active eq true', ['Ada', 'Alan']],
      ['externalId pr', []],
      ['name.familyName eq "Lovelace" or userName eq "Doe, Jane"', ['Ada']],
      [
        'meta.created gt "2000-01-01T00:00:00Z" and name.familyName pr',
        ['Ada', 'Grace', 'Alan', 'Edsger'],
      ],
    ]
    for (const [filter, expected] of cases) {
      const response = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)
      response.assertStatus(200)
      assert.deepEqual(names(response.body()), expected, filter)
      assert.equal(response.body().totalResults, expected.length, filter)
    }
  })

  test('userName eq finds a userName that is not an email, and not by its email', async ({
    client,
    assert,
  }) => {
    const { scim } = await seeded(client)
    const created = await scim.post(
      '/Users',
      oktaUser('kathy.j', { emails: [{ value: 'kathy@acme.test', primary: true }] })
    )
    created.assertStatus(201)
    const found = async (filter: string) => {
      const response = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)
      return response.body().Resources.map((user: { id: string }) => user.id)
    }

    assert.deepEqual(await found('userName eq "Kathy.J"'), [created.body().id])
    assert.deepEqual(await found('userName eq "kathy@acme.test"'), [])
    assert.deepEqual(await found(`id eq "${created.body().id}"`), [created.body().id])
    assert.deepEqual(await found('id eq "not-a-number"'), [])
  })

  test('a bad filter is 400 invalidFilter', async ({ client, assert }) => {
    const { scim } = await seeded(client)
    for (const filter of ['userName eq', 'nosuch eq "x"', 'active co "x"', 'userName eq "a" and']) {
      const response = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)
      response.assertStatus(400)
      assert.equal(response.body().scimType, 'invalidFilter', filter)
    }
  })

  test('startIndex and count page through the results, totalResults counts them all', async ({
    client,
    assert,
  }) => {
    const { scim } = await seeded(client)
    const first = await scim.get('/Users?startIndex=1&count=2&sortBy=name.givenName')
    const second = await scim.get('/Users?startIndex=3&count=2&sortBy=name.givenName')
    const beyond = await scim.get('/Users?startIndex=50&count=2')
    const countOnly = await scim.get('/Users?count=0')

    assert.deepEqual(names(first.body()), ['Ada', 'Alan'])
    assert.deepEqual(names(second.body()), ['Edsger', 'Grace'])
    assert.equal(first.body().totalResults, 5)
    assert.equal(first.body().startIndex, 1)
    assert.equal(first.body().itemsPerPage, 2)
    assert.equal(second.body().startIndex, 3)
    assert.deepEqual(beyond.body().Resources, [])
    assert.equal(beyond.body().totalResults, 5)
    assert.equal(countOnly.body().totalResults, 5)
    assert.deepEqual(countOnly.body().Resources, [])
    assert.deepEqual(countOnly.body().schemas, [
      'urn:ietf:params:scim:api:messages:2.0:ListResponse',
    ])
  })

  test('sortBy and sortOrder order the results', async ({ client, assert }) => {
    const { scim } = await seeded(client)
    const response = await scim.get(
      `/Users?filter=${encodeURIComponent('name.familyName pr')}&sortBy=name.familyName&sortOrder=descending`
    )
    assert.deepEqual(names(response.body()), ['Alan', 'Ada', 'Grace', 'Edsger'])
  })

  test('attributes and excludedAttributes shape each resource; id and schemas stay', async ({
    client,
    assert,
  }) => {
    const { scim, ids } = await seeded(client)
    const only = await scim.get(
      `/Users?filter=${encodeURIComponent('userName eq "ada@acme.test"')}&attributes=userName,name.givenName,emails.value`
    )
    assert.deepEqual(only.body().Resources, [
      {
        schemas: [SCIM_USER, SCIM_ENTERPRISE],
        id: ids.Ada,
        userName: 'ada@acme.test',
        name: { givenName: 'Ada' },
        emails: [{ value: 'ada@acme.test' }, { value: 'ada@home.test' }],
      },
    ])

    const without = await scim.get(
      `/Users/${ids.Ada}?excludedAttributes=emails,${SCIM_ENTERPRISE}:department,id`
    )
    assert.notProperty(without.body(), 'emails')
    assert.deepEqual(without.body()[SCIM_ENTERPRISE], {})
    assert.equal(without.body().id, ids.Ada)
    assert.equal(without.body().userName, 'ada@acme.test')
  })
})
