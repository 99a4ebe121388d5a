import { test } from '@japa/runner'
import { expectStatus } from '#tests/helpers/http'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { oktaUser, SCIM_GROUP, scimFor, type ScimApi } from '#tests/helpers/scim'
import AuditEvent from '#audit/models/audit_event'

async function users(scim: ScimApi, ...userNames: string[]) {
  const ids: string[] = []
  for (const userName of userNames) {
    const response = await scim.post('/Users', oktaUser(userName))
    response.assertStatus(201)
    ids.push(response.body().id)
  }
  return ids
}

const memberIds = (resource: { members?: { value: string }[] }) =>
  (resource.members ?? []).map((member) => member.value)

test.group('SCIM Groups', (group) => {
  group.each.setup(() => resetDatabase())

  test('POST creates a group with members; users list the groups they belong to', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const [ada, alan] = await users(scim, 'ada@acme.test', 'alan@acme.test')

    const response = await scim.post('/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Engineering',
      externalId: 'eng-1',
      members: [{ value: ada }, { value: alan, display: 'ignored' }],
    })

    response.assertStatus(201)
    const created = response.body()
    assert.match(created.id, /^[0-9a-f-]{36}$/)
    assert.equal(created.displayName, 'Engineering')
    assert.equal(created.externalId, 'eng-1')
    assert.deepEqual(memberIds(created), [ada, alan])
    assert.equal(created.members[0].display, 'ada Tester')
    assert.equal(created.members[0].$ref, `http://${acme.host}/scim/v2/Users/${ada}`)
    assert.equal(created.meta.resourceType, 'Group')
    assert.equal(response.header('location'), `http://${acme.host}/scim/v2/Groups/${created.id}`)

    const user = await scim.get(`/Users/${ada}`)
    assert.deepEqual(user.body().groups, [
      {
        value: created.id,
        display: 'Engineering',
        $ref: `http://${acme.host}/scim/v2/Groups/${created.id}`,
        type: 'direct',
      },
    ])
    const byGroup = await scim.get(
      `/Users?filter=${encodeURIComponent(`groups.value eq "${created.id}"`)}&attributes=userName`
    )
    assert.equal(byGroup.body().totalResults, 2)
  })

  test('members are added and removed by PATCH, in the Okta and Entra dialects', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const [ada, alan, grace] = await users(
      scim,
      'ada@acme.test',
      'alan@acme.test',
      'grace@acme.test'
    )
    const created = await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Eng' })
    const id = created.body().id

    const added = await scim.patch(`/Groups/${id}`, [
      { op: 'Add', path: 'members', value: [{ value: ada }, { value: alan }, { value: grace }] },
    ])
    assert.deepEqual(memberIds(added.body()), [ada, alan, grace])

    // Entra removes by a value array, Okta by a value filter in the path.
    const entra = await scim.patch(`/Groups/${id}`, [
      { op: 'Remove', path: 'members', value: [{ value: alan }] },
    ])
    assert.deepEqual(memberIds(entra.body()), [ada, grace])
    const okta = await scim.patch(`/Groups/${id}`, [
      { op: 'remove', path: `members[value eq "${grace}"]` },
      { op: 'replace', path: 'displayName', value: 'Engineering' },
    ])
    assert.deepEqual(memberIds(okta.body()), [ada])
    assert.equal(okta.body().displayName, 'Engineering')

    const audited = await acme.run(() =>
      AuditEvent.query().where('action', 'scim.group_updated').orderBy('seq')
    )
    assert.deepEqual(
      audited.map((event) => [event.metadata.added, event.metadata.removed]),
      [
        [3, 0],
        [0, 1],
        [0, 1],
      ]
    )
  })

  test('a member who is not a user (unknown, deleted, not an id) is refused; nothing changes', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const [ada, gone] = await users(scim, 'ada@acme.test', 'gone@acme.test')
    await expectStatus(scim.delete(`/Users/${gone}`), 204)
    const created = await scim.post('/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Eng',
      members: [{ value: ada }],
    })

    for (const value of [gone, '999999', 'abc']) {
      const response = await scim.patch(`/Groups/${created.body().id}`, [
        { op: 'add', path: 'members', value: [{ value }] },
      ])
      response.assertStatus(400)
      assert.equal(response.body().scimType, 'invalidValue')
    }
    const nested = await scim.patch(`/Groups/${created.body().id}`, [
      { op: 'add', path: 'members', value: [{ value: ada, type: 'Group' }] },
    ])
    nested.assertStatus(400)
    const after = await scim.get(`/Groups/${created.body().id}`)
    assert.deepEqual(memberIds(after.body()), [ada])
  })

  test('displayName is unique case-insensitively (409); groups filter and exclude members', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const [ada] = await users(scim, 'ada@acme.test')
    await scim.post('/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Eng',
      members: [{ value: ada }],
    })
    await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Sales' })

    const duplicate = await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'ENG' })
    duplicate.assertStatus(409)
    assert.equal(duplicate.body().scimType, 'uniqueness')

    const filtered = await scim.get(
      `/Groups?filter=${encodeURIComponent('displayName eq "eng"')}&excludedAttributes=members`
    )
    assert.equal(filtered.body().totalResults, 1)
    assert.notProperty(filtered.body().Resources[0], 'members')
    const withMember = await scim.get(
      `/Groups?filter=${encodeURIComponent(`members.value eq "${ada}"`)}`
    )
    assert.deepEqual(
      withMember.body().Resources.map((found: { displayName: string }) => found.displayName),
      ['Eng']
    )
  })

  test('PUT replaces the members; DELETE removes the group but not its users', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const [ada, alan] = await users(scim, 'ada@acme.test', 'alan@acme.test')
    const created = await scim.post('/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Eng',
      members: [{ value: ada }],
    })
    const id = created.body().id

    const replaced = await scim.put(`/Groups/${id}`, {
      schemas: [SCIM_GROUP],
      displayName: 'Eng',
      members: [{ value: alan }],
    })
    assert.deepEqual(memberIds(replaced.body()), [alan])

    await expectStatus(scim.delete(`/Groups/${id}`), 204)
    await expectStatus(scim.get(`/Groups/${id}`), 404)
    const user = await scim.get(`/Users/${alan}`)
    user.assertStatus(200)
    assert.deepEqual(user.body().groups, [])
  })

  test('a group id of another workspace is not found', async ({ client }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const scim = await scimFor(client, acme)
    const otherScim = await scimFor(client, globex)
    const created = await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Eng' })
    const id = created.body().id

    await expectStatus(otherScim.get(`/Groups/${id}`), 404)
    await expectStatus(
      otherScim.patch(`/Groups/${id}`, [{ op: 'replace', path: 'displayName', value: 'x' }]),
      404
    )
    await expectStatus(otherScim.delete(`/Groups/${id}`), 404)
    await expectStatus(scim.get(`/Groups/${id}`), 200)
  })

  test('an id that is not a group id is not found, on every operation', async ({ client }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const notUuid = '-'.repeat(36)

    await expectStatus(scim.get(`/Groups/${notUuid}`), 404)
    await expectStatus(
      scim.put(`/Groups/${notUuid}`, { schemas: [SCIM_GROUP], displayName: 'x' }),
      404
    )
    await expectStatus(scim.delete(`/Groups/${notUuid}`), 404)
    await expectStatus(
      client
        .put(`/api/v1/scim/groups/${notUuid}/mapping`)
        .header('host', acme.host)
        .bearerToken(acme.ownerToken)
        .json({ role: 'admin', projects: [] }),
      404
    )
  })
})
