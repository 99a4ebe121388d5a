import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { as, createProject, createTask, workspaceWithProject } from '#tests/helpers/work'

test.group('Projects', (group) => {
  group.each.setup(() => resetDatabase())

  test('a member creates a project they lead, with the default workflow', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    const api = as(client, acme, token)

    const created = await api.post('/projects', {
      name: 'Website',
      key: 'web',
      description: 'The public site',
      start_date: '2026-01-05',
      end_date: '2026-03-31',
    })
    created.assertStatus(201)
    const project = created.body().data
    assert.containsSubset(project, {
      key: 'WEB',
      name: 'Website',
      status: 'active',
      start_date: '2026-01-05',
      end_date: '2026-03-31',
      created_by: user.id,
    })

    const statuses = await api.get(`/projects/${project.id}/statuses`)
    assert.deepEqual(
      statuses
        .body()
        .data.map((status: { name: string; category: string }) => [status.name, status.category]),
      [
        ['To Do', 'todo'],
        ['In Progress', 'in_progress'],
        ['Done', 'done'],
      ]
    )
    const members = await api.get(`/projects/${project.id}/members`)
    assert.deepEqual(
      members
        .body()
        .data.map((member: { user_id: number; role: string }) => [member.user_id, member.role]),
      [[user.id, 'lead']]
    )
    const shown = await api.get(`/projects/${project.id}`)
    assert.deepEqual(shown.body().data, project)
  })

  test('validation names each bad field and rejects unknown ones', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    const response = await api.post('/projects', {
      name: '',
      key: '1-bad',
      start_date: '2026-02-30',
      colour: 'red',
    })
    response.assertStatus(422)
    const fields = response
      .body()
      .errors.map((error: { code: string; field: string }) => `${error.code}:${error.field}`)
    assert.sameMembers(fields, [
      'E_VALIDATION_ERROR:name',
      'E_VALIDATION_ERROR:key',
      'E_VALIDATION_ERROR:start_date',
      'E_VALIDATION_ERROR:colour',
    ])

    const backwards = await api.post('/projects', {
      name: 'X',
      key: 'XX',
      start_date: '2026-03-01',
      end_date: '2026-02-01',
    })
    backwards.assertStatus(422)
    assert.equal(backwards.body().errors[0].field, 'end_date')
    const count = await db.from(`${acme.schema}.projects`).count('* as total')
    assert.equal(Number(count[0].total), 0)
  })

  test('a project key is unique', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const api = as(client, acme, acme.ownerToken)
    await createProject(api)
    const again = await api.post('/projects', { name: 'Other', key: 'WEB' })
    again.assertStatus(409)
    assert.equal(errorCode(again), 'E_PROJECT_KEY_TAKEN')
  })

  test('changing only dates or the lead is saved', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const web = await createProject(owner)
    const dates = await owner.patch(`/projects/${web.id}`, { end_date: '2027-01-31' })
    dates.assertStatus(200)
    const stored = await owner.get(`/projects/${web.id}`)
    assert.equal(stored.body().data.end_date, '2027-01-31')
  })

  test('guests see only the projects they were added to', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const guest = await acme.member('guest')
    const guestApi = as(client, acme, guest.token)
    const web = await createProject(owner)
    const ops = await createProject(owner, { name: 'Ops', key: 'OPS' })

    const before = await guestApi.get('/projects')
    assert.deepEqual(before.body().data, [])
    const hidden = await guestApi.get(`/projects/${web.id}`)
    hidden.assertStatus(404)

    const added = await owner.post(`/projects/${ops.id}/members`, {
      user_id: guest.user.id,
      role: 'viewer',
    })
    added.assertStatus(201)
    const after = await guestApi.get('/projects')
    assert.deepEqual(
      after.body().data.map((project: { key: string }) => project.key),
      ['OPS']
    )
    const creating = await guestApi.post('/projects', { name: 'Mine', key: 'MINE' })
    creating.assertStatus(403)
  })

  test('deleting a project with tasks archives it; without tasks deletes it; both audited', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    await createTask(api, web.id)
    const empty = await createProject(api, { name: 'Empty', key: 'EMP' })

    const archiving = await api.delete(`/projects/${web.id}`)
    archiving.assertStatus(200)
    assert.equal(archiving.body().data.status, 'archived')
    assert.isNotNull(archiving.body().data.archived_at)
    const newTask = await api.post(`/projects/${web.id}/tasks`, { title: 'Late' })
    newTask.assertStatus(409)
    assert.equal(errorCode(newTask), 'E_PROJECT_ARCHIVED')

    const deleting = await api.delete(`/projects/${empty.id}`)
    deleting.assertStatus(204)
    const gone = await api.get(`/projects/${empty.id}`)
    gone.assertStatus(404)

    const restored = await api.patch(`/projects/${web.id}`, { status: 'active' })
    restored.assertStatus(200)
    assert.isNull(restored.body().data.archived_at)

    const audit = await api.get('/audit-events', { limit: 100 })
    const actions = audit.body().data.map((event: { action: string }) => event.action)
    assert.includeMembers(actions, ['project.archived', 'project.deleted', 'project.restored'])
  })

  test('leads manage members; members and viewers cannot; changes are audited', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const lead = await acme.member('member')
    const other = await acme.member('member')
    const third = await acme.member('member')
    const leadApi = as(client, acme, lead.token)
    const web = await createProject(leadApi)

    const add = await leadApi.post(`/projects/${web.id}/members`, {
      user_id: other.user.id,
      role: 'member',
    })
    add.assertStatus(201)
    const promote = await leadApi.post(`/projects/${web.id}/members`, {
      user_id: other.user.id,
      role: 'viewer',
    })
    promote.assertStatus(200)
    assert.equal(promote.body().data.role, 'viewer')

    const byMember = await as(client, acme, other.token).post(`/projects/${web.id}/members`, {
      user_id: third.user.id,
      role: 'member',
    })
    byMember.assertStatus(403)

    const nobody = await leadApi.post(`/projects/${web.id}/members`, {
      user_id: 9999,
      role: 'member',
    })
    nobody.assertStatus(422)
    assert.equal(nobody.body().errors[0].field, 'user_id')

    const removed = await leadApi.delete(`/projects/${web.id}/members/${other.user.id}`)
    removed.assertStatus(204)
    const again = await leadApi.delete(`/projects/${web.id}/members/${other.user.id}`)
    again.assertStatus(404)

    const audit = await as(client, acme, acme.ownerToken).get('/audit-events', { limit: 100 })
    const actions = audit.body().data.map((event: { action: string }) => event.action)
    assert.includeMembers(actions, [
      'project.created',
      'project.member_added',
      'project.member_role_changed',
      'project.member_removed',
    ])
  })

  test('creating projects while members are added elsewhere never deadlocks', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const statuses: number[] = []
    for (let round = 0; round < 10; round++) {
      const { user } = await acme.member('member')
      const responses = await Promise.all([
        owner.post('/projects', { name: 'Concurrent', key: `C${round}` }),
        owner.post(`/projects/${web.id}/members`, { user_id: user.id, role: 'member' }),
        owner.patch(`/projects/${web.id}`, { description: `Round ${round}` }),
      ])
      statuses.push(...responses.map((response) => response.status()))
    }
    assert.deepEqual([...new Set(statuses)].sort(), [200, 201])
  })
})
