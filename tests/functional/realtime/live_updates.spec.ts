import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { deliverEventsDuringEachTest } from '#tests/helpers/events'
import { as, createProject, createTask, workspaceWithProject } from '#tests/helpers/work'
import { createTenant } from '#tests/helpers/tenants'
import { command, connectSocket, recordEvents, closeAll } from '#tests/helpers/realtime'

test.group('Realtime | live project updates', (group) => {
  group.each.setup(() => resetDatabase())
  group.each.setup(deliverEventsDuringEachTest)

  test('a client in a project room receives its task and comment events, once each', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const { token } = await acme.member('member')
    const watcher = await connectSocket({ host: acme.host, token })
    const outsider = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(watcher, outsider))

    const joined = await command(watcher, 'project:join', { project_id: web.id })
    assert.deepEqual(joined, { ok: true, data: { project_id: web.id, role: 'viewer' } })
    const created = recordEvents(watcher, 'task.created')
    const commented = recordEvents(watcher, 'comment.posted')
    const notJoined = recordEvents(outsider, 'task.created')

    const task = await createTask(owner, web.id, { title: 'Ship it' })
    const comment = await owner.post(`/tasks/${task.id}/comments`, { body: 'On it' })
    comment.assertStatus(201)

    const [event] = await created.until((list) => list.length > 0)
    assert.equal(event.type, 'task.created')
    assert.containSubset(event, {
      actor_id: acme.owner.id,
      data: { project_id: web.id, task_id: task.id, key: task.key, title: 'Ship it' },
    })
    assert.isString(event.id)
    await commented.until((list) => list.length > 0)
    assert.equal(commented.received[0].data.comment_id, comment.body().data.id)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.lengthOf(created.received, 1)
    assert.lengthOf(notJoined.received, 0)
  })

  test('an assignee hears of their assignment in their own room, without joining the project', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const { user, token } = await acme.member('member')
    const added = await owner.post(`/projects/${web.id}/members`, {
      user_id: user.id,
      role: 'member',
    })
    added.assertStatus(201)
    const socket = await connectSocket({ host: acme.host, token })
    cleanup(() => closeAll(socket))
    const assigned = recordEvents(socket, 'task.assigned')

    const task = await createTask(owner, web.id)
    const patch = await owner.patch(`/tasks/${task.id}`, { assignee_ids: [user.id] })
    patch.assertStatus(200)

    const [event] = await assigned.until((list) => list.length > 0)
    assert.deepEqual(event.data.assignee_ids, [user.id])
  })

  test('a guest cannot join a project they were not added to, nor another tenant’s', async ({
    assert,
    client,
    cleanup,
  }) => {
    const { acme, web } = await workspaceWithProject(client)
    const globex = await createTenant('globex')
    // Its second project's id exists only there: acme has one project.
    const globexOwner = as(client, globex, globex.ownerToken)
    await createProject(globexOwner, { key: 'GLA' })
    const theirs = await createProject(globexOwner, { key: 'GLX' })
    const { token } = await acme.member('guest')
    const guest = await connectSocket({ host: acme.host, token })
    const admin = await connectSocket({ host: acme.host, token: acme.ownerToken })
    cleanup(() => closeAll(guest, admin))

    const denied = await command(guest, 'project:join', { project_id: web.id })
    assert.deepEqual(
      denied.errors?.map((error) => error.code),
      ['E_NOT_FOUND']
    )
    const foreign = await command(admin, 'project:join', { project_id: theirs.id })
    assert.isFalse(foreign.ok)
    assert.deepEqual(
      foreign.errors?.map((error) => error.code),
      ['E_NOT_FOUND']
    )
  })
})
