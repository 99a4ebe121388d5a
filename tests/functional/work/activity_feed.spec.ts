import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { startAppDispatcher } from '#tests/helpers/events'
import { eventually } from '#tests/helpers/wait'
import {
  allPages,
  as,
  createProject,
  createTask,
  type Api,
  workspaceWithProject,
} from '#tests/helpers/work'

interface Entry {
  actor: { id: number; full_name: string } | null
  verb: string
  object: Record<string, any>
  changes: Record<string, { from: unknown; to: unknown }> | null
}

async function feedOf(api: Api, projectId: number, expected: number) {
  let entries: Entry[] = []
  await eventually(async () => {
    entries = await allPages<Entry>(api, `/projects/${projectId}/activity-feed`, { limit: 3 })
    return entries.length >= expected
  }, 5_000)
  return entries
}

test.group('Activity feed', (group) => {
  group.each.setup(() => resetDatabase())

  test('is built from the domain events, newest first, with actor, verb, object and changes', async ({
    client,
    assert,
    cleanup,
  }) => {
    const dispatcher = await startAppDispatcher()
    cleanup(() => dispatcher.stop())
    const acme = await createTenant('acme')
    const alice = await acme.member('member')
    const owner = as(client, acme, acme.ownerToken)
    const web = await createProject(owner)
    await owner.post(`/projects/${web.id}/members`, { user_id: alice.user.id, role: 'member' })
    const aliceApi = as(client, acme, alice.token)
    const task = await createTask(aliceApi, web.id, { title: 'Draft copy' })
    await aliceApi.patch(`/tasks/${task.id}`, { title: 'Write copy', priority: 'urgent' })
    await aliceApi.put(`/tasks/${task.id}/status`, { status: 'In Progress' })
    await owner.patch(`/tasks/${task.id}`, { assignee_ids: [alice.user.id] })
    await aliceApi.post(`/tasks/${task.id}/comments`, { body: 'On it' })
    await aliceApi.post(`/tasks/${task.id}/move`, {})

    const feed = await feedOf(owner, web.id, 8)
    assert.deepEqual(
      feed.map((entry) => `${entry.actor?.full_name}: ${entry.verb} ${entry.object.type}`),
      [
        'member person: commented comment',
        'Olive Owner: assigned task',
        'member person: changed_status task',
        'member person: updated task',
        'member person: created task',
        'Olive Owner: added_member member',
        'Olive Owner: added_member member',
        'Olive Owner: created project',
      ],
      'newest first; the reorder is left out'
    )
    const [commented, assigned, status, updated] = feed
    assert.deepEqual(commented.object.task, {
      type: 'task',
      id: task.id,
      key: 'WEB-1',
      title: 'Write copy',
    })
    assert.deepEqual(assigned.changes, { assignee_ids: { from: [], to: [alice.user.id] } })
    assert.deepEqual(status.changes, { status: { from: 'To Do', to: 'In Progress' } })
    assert.deepEqual(updated.changes, {
      title: { from: 'Draft copy', to: 'Write copy' },
      priority: { from: 'medium', to: 'urgent' },
    })
  })

  test('a redelivered event adds nothing; a rolled-back change adds nothing', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    await createTask(owner, web.id)
    const refused = await owner.post(`/projects/${web.id}/tasks`, { title: 'x', status: 'Nope' })
    refused.assertStatus(422)

    const first = await startAppDispatcher()
    const before = await feedOf(owner, web.id, 3)
    await first.stop()
    // As if the dispatcher had crashed before recording its progress.
    await db
      .from(`${acme.schema}.event_subscriber_cursors`)
      .where('subscriber', 'work.activity_feed')
      .update({ last_seq: 0 })
    const second = await startAppDispatcher()
    cleanup(() => second.stop())
    await second.idle()

    const after = await allPages<Entry>(owner, `/projects/${web.id}/activity-feed`)
    assert.lengthOf(before, 3)
    assert.deepEqual(after, before)
  })

  test('a task moved between projects shows in both feeds; viewers read, guests do not', async ({
    client,
    assert,
    cleanup,
  }) => {
    const dispatcher = await startAppDispatcher()
    cleanup(() => dispatcher.stop())
    const { acme, owner, web } = await workspaceWithProject(client)
    const ops = await createProject(owner, { name: 'Ops', key: 'OPS' })
    const task = await createTask(owner, web.id)
    await owner.post(`/tasks/${task.id}/move`, { project_id: ops.id })

    const moved = { project_id: { from: web.id, to: ops.id }, key: { from: 'WEB-1', to: 'OPS-1' } }
    const [webLatest] = await feedOf(owner, web.id, 4)
    const [opsLatest] = await feedOf(owner, ops.id, 3)
    assert.deepEqual([webLatest.verb, webLatest.changes], ['moved', moved])
    assert.deepEqual([opsLatest.verb, opsLatest.changes], ['moved', moved])

    const viewer = await acme.member('member')
    const guest = await acme.member('guest')
    const read = await as(client, acme, viewer.token).get(`/projects/${web.id}/activity-feed`)
    read.assertStatus(200)
    const hidden = await as(client, acme, guest.token).get(`/projects/${web.id}/activity-feed`)
    hidden.assertStatus(404)
  })
})
