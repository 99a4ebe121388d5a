import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { as, createProject } from '#tests/helpers/work'
import { oktaUser, SCIM_GROUP, scimFor, type ScimApi } from '#tests/helpers/scim'
import User from '#identity/models/user'
import AuditEvent from '#audit/models/audit_event'

async function provisionedUser(scim: ScimApi, userName: string) {
  const response = await scim.post('/Users', oktaUser(userName))
  response.assertStatus(201)
  return response.body().id as string
}

async function group(scim: ScimApi, displayName: string, members: string[] = []) {
  const response = await scim.post('/Groups', {
    schemas: [SCIM_GROUP],
    displayName,
    members: members.map((value) => ({ value })),
  })
  response.assertStatus(201)
  return response.body().id as string
}

function mapGroup(client: ApiClient, tenant: TestTenant, groupId: string, mapping: object) {
  return client
    .put(`/api/v1/scim/groups/${groupId}/mapping`)
    .header('host', tenant.host)
    .bearerToken(tenant.ownerToken)
    .json(mapping)
}

async function roleOf(tenant: TestTenant, userId: string) {
  const user = await tenant.run(() => User.findOrFail(Number(userId)))
  return user.role
}

async function projectRoles(client: ApiClient, tenant: TestTenant, projectId: number) {
  const response = await as(client, tenant, tenant.ownerToken).get(`/projects/${projectId}/members`)
  return Object.fromEntries(
    response
      .body()
      .data.map((member: { user_id: number; role: string }) => [
        String(member.user_id),
        member.role,
      ])
  )
}

test.group('SCIM group mappings', (group_) => {
  group_.each.setup(() => resetDatabase())

  test('mapping a group to a role applies to its members now and to whoever joins later', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const ada = await provisionedUser(scim, 'ada@acme.test')
    const alan = await provisionedUser(scim, 'alan@acme.test')
    const admins = await group(scim, 'Tandem Admins', [ada])

    const mapped = await mapGroup(client, acme, admins, { role: 'admin', projects: [] })

    mapped.assertStatus(200)
    assert.deepEqual(mapped.body().data, {
      id: admins,
      display_name: 'Tandem Admins',
      external_id: null,
      member_count: 1,
      mapping: { role: 'admin', projects: [] },
    })
    assert.equal(await roleOf(acme, ada), 'admin')

    await scim.patch(`/Groups/${admins}`, [
      { op: 'add', path: 'members', value: [{ value: alan }] },
    ])
    assert.equal(await roleOf(acme, alan), 'admin')

    // Leaving the group takes back what it gave.
    await scim.patch(`/Groups/${admins}`, [{ op: 'remove', path: `members[value eq "${ada}"]` }])
    assert.equal(await roleOf(acme, ada), 'member')

    const audited = await acme.run(() =>
      AuditEvent.query().where('action', 'member.role_changed').orderBy('seq')
    )
    assert.deepEqual(
      audited.map((event) => [event.targetId, event.metadata.to, event.actorType]),
      [
        [ada, 'admin', 'user'],
        [alan, 'admin', 'scim_token'],
        [ada, 'member', 'scim_token'],
      ]
    )
  })

  test('the highest mapped role wins; owners and roles given by hand are left alone', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const ada = await provisionedUser(scim, 'ada@acme.test')
    const grace = await provisionedUser(scim, 'grace@acme.test')
    await client
      .patch(`/api/v1/members/${grace}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
      .json({ role: 'admin' })
      .then((response) => response.assertStatus(200))
    const owner = String(acme.owner.id)
    const guests = await group(scim, 'Guests', [ada, grace, owner])
    const staff = await group(scim, 'Staff', [ada])
    await mapGroup(client, acme, guests, { role: 'guest', projects: [] })
    await mapGroup(client, acme, staff, { role: 'member', projects: [] })

    assert.equal(await roleOf(acme, ada), 'member')
    assert.equal(await roleOf(acme, grace), 'admin')
    assert.equal(await roleOf(acme, owner), 'owner')

    await scim.delete(`/Groups/${staff}`)
    assert.equal(await roleOf(acme, ada), 'guest')
  })

  test('project mappings add members to projects and remove only what they added', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const owner = as(client, acme, acme.ownerToken)
    const website = await createProject(owner, { name: 'Website', key: 'WEB' })
    const ada = await provisionedUser(scim, 'ada@acme.test')
    const alan = await provisionedUser(scim, 'alan@acme.test')
    // Alan leads the project by hand.
    await owner.post(`/projects/${website.id}/members`, { user_id: Number(alan), role: 'lead' })
    const engineering = await group(scim, 'Engineering', [ada, alan])

    const mapped = await mapGroup(client, acme, engineering, {
      role: null,
      projects: [{ project_id: website.id, role: 'member' }],
    })
    mapped.assertStatus(200)
    assert.deepEqual(await projectRoles(client, acme, website.id), {
      [String(acme.owner.id)]: 'lead',
      [ada]: 'member',
      [alan]: 'lead',
    })

    await scim.put(`/Groups/${engineering}`, { schemas: [SCIM_GROUP], displayName: 'Engineering' })
    assert.deepEqual(await projectRoles(client, acme, website.id), {
      [String(acme.owner.id)]: 'lead',
      [alan]: 'lead',
    })
  })

  test('a mapping to a project that does not exist is refused; nothing changes', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const scim = await scimFor(client, acme)
    const ada = await provisionedUser(scim, 'ada@acme.test')
    const admins = await group(scim, 'Admins', [ada])

    const response = await mapGroup(client, acme, admins, {
      role: 'admin',
      projects: [{ project_id: 999, role: 'member' }],
    })

    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'projects.0.project_id')
    assert.equal(await roleOf(acme, ada), 'member')
    const invalid = await mapGroup(client, acme, admins, { role: 'owner', projects: [] })
    invalid.assertStatus(422)
  })

  test('admins list the groups with their mappings; another workspace sees none of them', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const scim = await scimFor(client, acme)
    const ada = await provisionedUser(scim, 'ada@acme.test')
    const admins = await group(scim, 'Admins', [ada])
    await group(scim, 'Sales')
    await mapGroup(client, acme, admins, { role: 'admin', projects: [] })

    const listed = await client
      .get('/api/v1/scim/groups?limit=1')
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.deepEqual(
      listed
        .body()
        .data.map((entry: { display_name: string; member_count: number }) => [
          entry.display_name,
          entry.member_count,
        ]),
      [['Admins', 1]]
    )
    const next = await client
      .get(`/api/v1/scim/groups?limit=1&cursor=${listed.body().meta.next_cursor}`)
      .header('host', acme.host)
      .bearerToken(acme.ownerToken)
    assert.equal(next.body().data[0].display_name, 'Sales')

    const elsewhere = await client
      .get('/api/v1/scim/groups')
      .header('host', globex.host)
      .bearerToken(globex.ownerToken)
    assert.deepEqual(elsewhere.body().data, [])
    const foreign = await mapGroup(client, globex, admins, { role: 'admin', projects: [] })
    foreign.assertStatus(404)
  })
})
