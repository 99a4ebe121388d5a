import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { allPages, as, createTask, postComment, workspaceWithProject } from '#tests/helpers/work'

test.group('Comments', (group) => {
  group.each.setup(() => resetDatabase())

  test('members comment with mentions of people who can see the project', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id)
    const alice = await acme.member('member')
    const outsider = await acme.member('guest')
    await owner.post(`/projects/${web.id}/members`, { user_id: alice.user.id, role: 'member' })

    const posted = await as(client, acme, alice.token).post(`/tasks/${task.id}/comments`, {
      body: `Looks good <@${acme.owner.id}>, cc <@${outsider.user.id}> and <@99999>`,
    })
    posted.assertStatus(201)
    assert.containsSubset(posted.body().data, {
      task_id: task.id,
      author_id: alice.user.id,
      mention_ids: [acme.owner.id],
      deleted: false,
      edited_at: null,
    })

    const empty = await owner.post(`/tasks/${task.id}/comments`, { body: '   ' })
    empty.assertStatus(422)
    const long = await owner.post(`/tasks/${task.id}/comments`, { body: 'x'.repeat(10_001) })
    long.assertStatus(422)
    assert.equal(long.body().errors[0].field, 'body')
  })

  test('edits keep the previous text as revisions', async ({ client, assert }) => {
    const { owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id)
    const comment = await postComment(owner, task.id, 'First')

    await owner.patch(`/comments/${comment.id}`, { body: 'Second' })
    const edited = await owner.patch(`/comments/${comment.id}`, { body: 'Third' })
    edited.assertStatus(200)
    assert.equal(edited.body().data.body, 'Third')
    assert.isNotNull(edited.body().data.edited_at)

    const revisions = await owner.get(`/comments/${comment.id}/revisions`)
    assert.deepEqual(
      revisions.body().data.map((revision: { body: string }) => revision.body),
      ['First', 'Second']
    )
  })

  test('only the author or an admin edits or deletes; deletion leaves a tombstone', async ({
    client,
    assert,
  }) => {
    const { acme, owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id)
    const alice = await acme.member('member')
    const bob = await acme.member('member')
    for (const { user } of [alice, bob]) {
      await owner.post(`/projects/${web.id}/members`, { user_id: user.id, role: 'lead' })
    }
    const aliceApi = as(client, acme, alice.token)
    const comment = await postComment(aliceApi, task.id, 'Mine')

    const byBob = await as(client, acme, bob.token).patch(`/comments/${comment.id}`, {
      body: 'Hijacked',
    })
    byBob.assertStatus(403)
    assert.equal(errorCode(byBob), 'E_FORBIDDEN')
    await aliceApi.patch(`/comments/${comment.id}`, { body: 'Mine, edited' })

    const removed = await owner.delete(`/comments/${comment.id}`)
    removed.assertStatus(204)
    const thread = await allPages<Record<string, unknown>>(owner, `/tasks/${task.id}/comments`)
    assert.containsSubset(thread, [{ id: comment.id, deleted: true, body: null }])
    const revisions = await owner.get(`/comments/${comment.id}/revisions`)
    revisions.assertStatus(404)
    const again = await aliceApi.patch(`/comments/${comment.id}`, { body: 'Back' })
    again.assertStatus(404)

    // An admin removing someone else's words is audited.
    const audit = await owner.get('/audit-events', { action: 'comment.deleted' })
    assert.lengthOf(audit.body().data, 1)
  })

  test('threads page in order and a retried post with the same key is stored once', async ({
    client,
    assert,
  }) => {
    const { owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id)
    for (let index = 0; index < 5; index++) {
      await owner.post(`/tasks/${task.id}/comments`, { body: `Comment ${index}` })
    }
    const retried = await Promise.all(
      [1, 2].map(() =>
        owner
          .post(`/tasks/${task.id}/comments`, { body: 'Retried' })
          .header('idempotency-key', 'comment-retry')
      )
    )
    assert.includeMembers(
      retried.map((response) => response.status()),
      [201]
    )

    const thread = await allPages<{ body: string }>(owner, `/tasks/${task.id}/comments`, {
      limit: 2,
    })
    assert.deepEqual(
      thread.map((comment) => comment.body),
      ['Comment 0', 'Comment 1', 'Comment 2', 'Comment 3', 'Comment 4', 'Retried']
    )
  })
})
