import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { allPages, as, createProject, createTask, workspaceWithProject } from '#tests/helpers/work'

type TaskData = Awaited<ReturnType<typeof createTask>> & Record<string, any>

test.group('Tasks', (group) => {
  group.each.setup(() => resetDatabase())

  test('tasks get per-project keys, defaults and a version', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const { user, token } = await acme.member('member')
    const owner = as(client, acme, acme.ownerToken)
    const web = await createProject(owner)
    const ops = await createProject(owner, { name: 'Ops', key: 'OPS' })
    await owner.post(`/projects/${web.id}/members`, { user_id: user.id, role: 'member' })
    const api = as(client, acme, token)

    const first = await api.post(`/projects/${web.id}/tasks`, {
      title: '  Ship the landing page ',
      description: 'Hero, pricing, FAQ',
      priority: 'high',
      assignee_ids: [user.id],
      due_date: '2026-12-01',
      labels: ['frontend', 'launch'],
    })
    first.assertStatus(201)
    assert.equal(first.header('etag'), '"1"')
    assert.containsSubset(first.body().data, {
      key: 'WEB-1',
      number: 1,
      title: 'Ship the landing page',
      status: { name: 'To Do', category: 'todo' },
      priority: 'high',
      assignee_ids: [user.id],
      due_date: '2026-12-01',
      labels: ['frontend', 'launch'],
      parent_id: null,
      version: 1,
      created_by: user.id,
    })
    const second = await createTask(api, web.id, { status: 'in progress' })
    assert.equal(second.key, 'WEB-2')
    assert.equal(second.status.name, 'In Progress')
    assert.isAbove(second.position, first.body().data.position)
    const elsewhere = await createTask(owner, ops.id)
    assert.equal(elsewhere.key, 'OPS-1')

    // Numbers are never reused, even after a delete.
    await owner.delete(`/tasks/${second.id}`).then((response) => response.assertStatus(204))
    const third = await createTask(api, web.id)
    assert.equal(third.key, 'WEB-3')
  })

  test('bad task input is refused field by field and writes nothing', async ({
    client,
    assert,
  }) => {
    const { acme, owner: api, web } = await workspaceWithProject(client)
    const guest = await acme.member('guest')
    const response = await api.post(`/projects/${web.id}/tasks`, {
      title: 'x'.repeat(501),
      priority: 'whenever',
      labels: Array.from({ length: 21 }, (_, index) => `label-${index}`),
      due_date: 'tomorrow',
      estimate: 3,
    })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.sameMembers(fields, ['title', 'priority', 'labels', 'due_date', 'estimate'])

    const unknownStatus = await api.post(`/projects/${web.id}/tasks`, {
      title: 'Ok',
      status: 'Blocked',
    })
    unknownStatus.assertStatus(422)
    assert.equal(unknownStatus.body().errors[0].field, 'status')

    // A guest who is not in the project cannot be assigned.
    const hiddenAssignee = await api.post(`/projects/${web.id}/tasks`, {
      title: 'Ok',
      assignee_ids: [guest.user.id],
    })
    hiddenAssignee.assertStatus(422)
    assert.equal(hiddenAssignee.body().errors[0].field, 'assignee_ids')

    const count = await db.from(`${acme.schema}.tasks`).count('* as total')
    assert.equal(Number(count[0].total), 0)
    const project = await db.from(`${acme.schema}.projects`).where('id', web.id).first()
    assert.equal(project.last_task_number, 0, 'a refused create hands out no number')
  })

  test('filters: status, category, assignee, label, due range and title search', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const alice = await acme.member('member')
    const api = as(client, acme, acme.ownerToken)
    const web = await createProject(api)
    await api.post(`/projects/${web.id}/members`, { user_id: alice.user.id, role: 'member' })
    const make = (title: string, body: Record<string, unknown> = {}) =>
      createTask(api, web.id, { title, ...body })
    const login = await make('Fix login 100% of the time', {
      labels: ['bug'],
      due_date: '2026-11-20',
      assignee_ids: [alice.user.id],
    })
    const signup = await make('Signup form', { status: 'Done', due_date: '2026-12-10' })
    const logout = await make('Logout_button', {
      labels: ['bug', 'ui'],
      status: 'In Progress',
      due_date: '2026-12-01',
    })

    const keys = async (qs: Record<string, unknown>, token = acme.ownerToken) => {
      const response = await as(client, acme, token).get(`/projects/${web.id}/tasks`, qs)
      response.assertStatus(200)
      return response.body().data.map((task: { key: string }) => task.key)
    }
    assert.deepEqual(await keys({}), [login.key, signup.key, logout.key])
    assert.deepEqual(await keys({ status: 'done' }), [signup.key])
    assert.deepEqual(await keys({ status_category: 'in_progress' }), [logout.key])
    assert.deepEqual(await keys({ assignee: alice.user.id }), [login.key])
    assert.deepEqual(await keys({ assignee: 'me' }, alice.token), [login.key])
    assert.deepEqual(await keys({ label: 'bug' }), [login.key, logout.key])
    assert.deepEqual(await keys({ due_before: '2026-12-01' }), [login.key, logout.key])
    assert.deepEqual(await keys({ due_after: '2026-12-01' }), [signup.key, logout.key])
    assert.deepEqual(await keys({ q: 'LOG' }), [login.key, logout.key])
    assert.deepEqual(await keys({ q: '100%' }), [login.key], '% is not a wildcard')
    assert.deepEqual(await keys({ q: 't_b' }), [logout.key])
    assert.deepEqual(await keys({ q: 'n_f' }), [], '_ is not a wildcard')

    const bad = await api.get(`/projects/${web.id}/tasks`, { status_category: 'blocked' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'status_category')
  })

  test('pages stay complete and duplicate-free while tasks are being added', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const initial: number[] = []
    for (let index = 0; index < 30; index++) {
      const task = await createTask(api, web.id, { title: `Task ${index}` })
      initial.push(task.id)
    }

    const seen: number[] = []
    let cursor: string | null = null
    let added = 0
    do {
      const response = await api.get(`/projects/${web.id}/tasks`, {
        limit: 7,
        ...(cursor ? { cursor } : {}),
      })
      response.assertStatus(200)
      seen.push(...response.body().data.map((task: { id: number }) => task.id))
      cursor = response.body().meta.next_cursor
      // Concurrent writers add tasks between page reads.
      await Promise.all([createTask(api, web.id), createTask(api, web.id)])
      added += 2
    } while (cursor)

    assert.equal(new Set(seen).size, seen.length, 'no task appears twice')
    assert.includeMembers(seen, initial, 'no task that existed at the start is skipped')
    const everything = await allPages<{ id: number }>(api, `/projects/${web.id}/tasks`)
    assert.lengthOf(everything, initial.length + added, 'a fresh listing has every task')

    const garbage = await api.get(`/projects/${web.id}/tasks`, { cursor: 'bm90LWEtY3Vyc29y' })
    garbage.assertStatus(422)
    assert.equal(garbage.body().errors[0].field, 'cursor')
  })

  test('a stale If-Match or version is refused with 409 and changes nothing', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const task = await createTask(api, web.id, { title: 'Original' })

    const first = await api.patch(`/tasks/${task.id}`).header('if-match', '"1"').json({
      title: 'First writer',
    })
    first.assertStatus(200)
    assert.equal(first.header('etag'), '"2"')
    assert.equal(first.body().data.version, 2)

    const stale = await api.patch(`/tasks/${task.id}`).header('if-match', '"1"').json({
      title: 'Second writer',
    })
    stale.assertStatus(409)
    assert.equal(errorCode(stale), 'E_CONFLICT')
    const staleBody = await api.patch(`/tasks/${task.id}`, { title: 'Third', version: 1 })
    staleBody.assertStatus(409)
    const staleStatus = await api
      .put(`/tasks/${task.id}/status`, { status: 'Done' })
      .header('if-match', 'W/"1"')
    staleStatus.assertStatus(409)

    const current = await api.get(`/tasks/${task.id}`)
    assert.equal(current.body().data.title, 'First writer')
    assert.equal(current.body().data.status.name, 'To Do')
    assert.equal(current.header('etag'), '"2"')

    const unchanged = await api.patch(`/tasks/${task.id}`, { title: 'First writer' })
    assert.equal(unchanged.body().data.version, 2, 'a no-op write keeps the version')

    const malformed = await api.patch(`/tasks/${task.id}`, { title: 'X' }).header('if-match', 'abc')
    malformed.assertStatus(422)
  })

  test('changing only a two-word field (due date, parent) is saved and versioned', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const parent = await createTask(api, web.id, { title: 'Parent' })
    const task = await createTask(api, web.id, { title: 'Child' })

    const due = await api.patch(`/tasks/${task.id}`, { due_date: '2026-12-24' })
    due.assertStatus(200)
    assert.containsSubset(due.body().data, { due_date: '2026-12-24', version: 2 })
    const parented = await api.patch(`/tasks/${task.id}`, { parent_id: parent.id })
    assert.containsSubset(parented.body().data, { parent_id: parent.id, version: 3 })

    const stored = await api.get(`/tasks/${task.id}`)
    assert.containsSubset(stored.body().data, {
      due_date: '2026-12-24',
      parent_id: parent.id,
      version: 3,
    })
  })

  test('concurrent writers with the same version: exactly one wins', async ({ client, assert }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const task = await createTask(api, web.id)
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        api.patch(`/tasks/${task.id}`, { title: `Writer ${index}`, version: 1 })
      )
    )
    const statuses = responses.map((response) => response.status()).sort()
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409])
  })

  test('status changes by name or id set and clear completed_at', async ({ client, assert }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const task = await createTask(api, web.id)
    const workflow = await api.get(`/projects/${web.id}/statuses`)
    const statuses = workflow.body().data

    const done = await api.put(`/tasks/${task.id}/status`, { status: 'Done' })
    done.assertStatus(200)
    assert.equal(done.body().data.status.category, 'done')
    assert.isNotNull(done.body().data.completed_at)

    const back = await api.put(`/tasks/${task.id}/status`, { status: statuses[1].id })
    assert.equal(back.body().data.status.name, 'In Progress')
    assert.isNull(back.body().data.completed_at)

    const missing = await api.put(`/tasks/${task.id}/status`, {})
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'status')
  })

  test('custom workflow statuses; a used or last status cannot be removed', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const review = await api.post(`/projects/${web.id}/statuses`, {
      name: 'In Review',
      category: 'in_progress',
      position: 2,
    })
    review.assertStatus(201)
    const duplicate = await api.post(`/projects/${web.id}/statuses`, {
      name: 'in review',
      category: 'todo',
    })
    duplicate.assertStatus(409)
    assert.equal(errorCode(duplicate), 'E_STATUS_NAME_TAKEN')

    const task = await createTask(api, web.id, { status: 'In Review' })
    assert.equal(task.status.category, 'in_progress')
    const used = await api.delete(`/projects/${web.id}/statuses/${review.body().data.id}`)
    used.assertStatus(409)
    assert.equal(errorCode(used), 'E_STATUS_IN_USE')

    const renamed = await api.patch(`/projects/${web.id}/statuses/${review.body().data.id}`, {
      name: 'Review',
    })
    renamed.assertStatus(200)
    const reread = await api.get(`/tasks/${task.id}`)
    assert.equal(reread.body().data.status.name, 'Review')

    const inReview = await api.get(`/projects/${web.id}/tasks`, { status_category: 'in_progress' })
    assert.lengthOf(inReview.body().data, 1)
  })

  test('subtasks are one level deep and stay in their project', async ({ client, assert }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const ops = await createProject(api, { name: 'Ops', key: 'OPS' })
    const parent = await createTask(api, web.id, { title: 'Epic' })
    const child = await createTask(api, web.id, { title: 'Child', parent_id: parent.id })

    const grandchild = await api.post(`/projects/${web.id}/tasks`, {
      title: 'Grandchild',
      parent_id: child.id,
    })
    grandchild.assertStatus(422)
    const foreign = await api.post(`/projects/${ops.id}/tasks`, {
      title: 'Foreign',
      parent_id: parent.id,
    })
    foreign.assertStatus(422)
    assert.equal(foreign.body().errors[0].field, 'parent_id')

    const children = await api.get(`/projects/${web.id}/tasks`, { parent_id: parent.id })
    assert.deepEqual(
      children.body().data.map((task: { id: number }) => task.id),
      [child.id]
    )
  })

  test('moving reorders between neighbours and renumbers when they get too close', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const [a, b, c] = [
      await createTask(api, web.id, { title: 'A' }),
      await createTask(api, web.id, { title: 'B' }),
      await createTask(api, web.id, { title: 'C' }),
    ]
    const order = async () => {
      const tasks = await allPages<TaskData>(api, `/projects/${web.id}/tasks`)
      return tasks.map((task) => task.title)
    }

    const moved = await api.post(`/tasks/${c.id}/move`, { after_id: a.id })
    moved.assertStatus(200)
    assert.equal(moved.body().data.version, 2)
    assert.deepEqual(await order(), ['A', 'C', 'B'])
    await api.post(`/tasks/${a.id}/move`, {}).then((response) => response.assertStatus(200))
    assert.deepEqual(await order(), ['C', 'B', 'A'])
    await api.post(`/tasks/${a.id}/move`, { before_id: c.id })
    assert.deepEqual(await order(), ['A', 'C', 'B'])

    // Sixty moves into the same gap exhaust a double's precision: the
    // board is renumbered on the way and the order still holds.
    for (let index = 0; index < 60; index++) {
      const target = index % 2 === 0 ? b : c
      const response = await api.post(`/tasks/${target.id}/move`, {
        after_id: a.id,
        before_id: index % 2 === 0 ? c.id : b.id,
      })
      response.assertStatus(200)
    }
    assert.deepEqual(await order(), ['A', 'C', 'B'])

    const self = await api.post(`/tasks/${a.id}/move`, { after_id: a.id })
    self.assertStatus(422)
    const crossed = await api.post(`/tasks/${a.id}/move`, { after_id: b.id, before_id: c.id })
    crossed.assertStatus(422)
  })

  test('moving to another project renumbers the task and its subtasks, keeping statuses', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const ops = await createProject(api, { name: 'Ops', key: 'OPS' })
    await createTask(api, ops.id)
    const parent = await createTask(api, web.id, { title: 'Parent', status: 'In Progress' })
    const child = await createTask(api, web.id, { title: 'Child', parent_id: parent.id })

    const subtaskAlone = await api.post(`/tasks/${child.id}/move`, { project_id: ops.id })
    subtaskAlone.assertStatus(422)

    const moved = await api.post(`/tasks/${parent.id}/move`, { project_id: ops.id })
    moved.assertStatus(200)
    assert.equal(moved.body().data.key, 'OPS-2')
    assert.equal(moved.body().data.status.name, 'In Progress')
    const movedChild = await api.get(`/tasks/${child.id}`)
    assert.equal(movedChild.body().data.key, 'OPS-3')
    assert.equal(movedChild.body().data.project_id, ops.id)
    assert.deepEqual(await allPages(api, `/projects/${web.id}/tasks`), [])
  })

  test('members delete their own tasks; leads and admins delete any, with subtasks', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const alice = await acme.member('member')
    const bob = await acme.member('member')
    for (const { user } of [alice, bob]) {
      await owner.post(`/projects/${web.id}/members`, { user_id: user.id, role: 'member' })
    }
    const alicesTask = await createTask(as(client, acme, alice.token), web.id)
    const child = await createTask(owner, web.id, { parent_id: alicesTask.id })

    const byBob = await as(client, acme, bob.token).delete(`/tasks/${alicesTask.id}`)
    byBob.assertStatus(403)
    const byAlice = await as(client, acme, alice.token).delete(`/tasks/${alicesTask.id}`)
    byAlice.assertStatus(204)
    await owner.get(`/tasks/${child.id}`).then((response) => response.assertStatus(404))

    const audit = await owner.get('/audit-events', { action: 'task.deleted' })
    assert.lengthOf(audit.body().data, 1)
  })

  test('my tasks: assigned to me across the projects I can see', async ({ client, assert }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const ops = await createProject(owner, { name: 'Ops', key: 'OPS' })
    const guest = await acme.member('guest')
    const alice = await acme.member('member')
    await owner.post(`/projects/${web.id}/members`, { user_id: guest.user.id, role: 'member' })
    await owner.post(`/projects/${ops.id}/members`, { user_id: guest.user.id, role: 'member' })

    const webTask = await createTask(owner, web.id, {
      assignee_ids: [guest.user.id, alice.user.id],
      due_date: '2026-12-01',
    })
    const opsTask = await createTask(owner, ops.id, {
      assignee_ids: [guest.user.id],
      status: 'Done',
    })
    await createTask(owner, ops.id, { assignee_ids: [alice.user.id] })

    const mine = async (token: string, qs: Record<string, unknown> = {}) => {
      const response = await as(client, acme, token).get('/users/me/tasks', qs)
      response.assertStatus(200)
      return response.body().data.map((task: { key: string }) => task.key)
    }
    assert.deepEqual(await mine(guest.token), [webTask.key, opsTask.key])
    assert.deepEqual(await mine(guest.token, { status_category: 'done' }), [opsTask.key])
    assert.deepEqual(await mine(guest.token, { due_before: '2026-12-31' }), [webTask.key])

    // Removed from Ops: its tasks leave the guest's list.
    await owner.delete(`/projects/${ops.id}/members/${guest.user.id}`)
    assert.deepEqual(await mine(guest.token), [webTask.key])
  })

  test('viewers read but cannot write; guests outside the project get 404', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id)
    const viewer = await acme.member('member')
    const guest = await acme.member('guest')
    const viewerApi = as(client, acme, viewer.token)

    await viewerApi.get(`/tasks/${task.id}`).then((response) => response.assertStatus(200))
    const edit = await viewerApi.patch(`/tasks/${task.id}`, { title: 'Nope' })
    edit.assertStatus(403)
    assert.equal(errorCode(edit), 'E_FORBIDDEN')
    const hidden = await as(client, acme, guest.token).get(`/tasks/${task.id}`)
    hidden.assertStatus(404)
    assert.equal(errorCode(hidden), 'E_NOT_FOUND')
  })

  test('Idempotency-Key on task creation: a retry returns the same task, no duplicate', async ({
    client,
    assert,
  }) => {
    const { owner: api, web } = await workspaceWithProject(client)
    const send = () =>
      api
        .post(`/projects/${web.id}/tasks`, { title: 'Once' })
        .header('idempotency-key', 'create-once-1')
    const first = await send()
    const retry = await send()
    first.assertStatus(201)
    retry.assertStatus(201)
    assert.deepEqual(retry.body(), first.body())
    assert.equal(retry.header('idempotent-replayed'), 'true')
    assert.lengthOf(await allPages(api, `/projects/${web.id}/tasks`), 1)
  })
})
