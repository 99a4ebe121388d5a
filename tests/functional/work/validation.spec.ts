import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTask, postComment, workspaceWithProject } from '#tests/helpers/work'

interface BadInput {
  method: 'get' | 'post' | 'patch' | 'put'
  url: string
  input: Record<string, unknown>
  fields: string[]
}

test.group('Work API: bad input', (group) => {
  group.each.setup(() => resetDatabase())

  test('every work endpoint with input names the bad fields and changes nothing', async ({
    client,
    assert,
  }) => {
    const { owner, web } = await workspaceWithProject(client)
    const task = await createTask(owner, web.id, { title: 'Untouched' })
    const comment = await postComment(owner, task.id, 'Untouched')
    const statuses = await owner.get(`/projects/${web.id}/statuses`)
    const statusId = statuses.body().data[0].id
    const before = await Promise.all([
      owner.get(`/projects/${web.id}`),
      owner.get(`/tasks/${task.id}`),
      owner.get(`/tasks/${task.id}/comments`),
      owner.get(`/projects/${web.id}/members`),
      owner.get(`/projects/${web.id}/statuses`),
    ])

    const cases: BadInput[] = [
      {
        method: 'patch',
        url: `/projects/${web.id}`,
        input: { name: 'x'.repeat(201), extra: 1 },
        fields: ['name', 'extra'],
      },
      {
        method: 'post',
        url: `/projects/${web.id}/members`,
        input: { user_id: 'x', role: 'boss' },
        fields: ['user_id', 'role'],
      },
      {
        method: 'post',
        url: `/projects/${web.id}/statuses`,
        input: { name: 'x'.repeat(51), category: 'blocked' },
        fields: ['name', 'category'],
      },
      {
        method: 'patch',
        url: `/projects/${web.id}/statuses/${statusId}`,
        input: { position: -1 },
        fields: ['position'],
      },
      {
        method: 'patch',
        url: `/tasks/${task.id}`,
        input: { labels: 'bug', assignee_ids: [1, 1] },
        fields: ['labels', 'assignee_ids'],
      },
      {
        method: 'put',
        url: `/tasks/${task.id}/status`,
        input: { status: '', colour: 1 },
        fields: ['status', 'colour'],
      },
      {
        method: 'post',
        url: `/tasks/${task.id}/move`,
        input: { before_id: 'x', project_id: 0 },
        fields: ['before_id', 'project_id'],
      },
      { method: 'patch', url: `/comments/${comment.id}`, input: { body: '' }, fields: ['body'] },
      { method: 'get', url: '/projects', input: { status: 'deleted' }, fields: ['status'] },
      { method: 'get', url: `/projects/${web.id}/members`, input: { limit: 0 }, fields: ['limit'] },
      {
        method: 'get',
        url: '/users/me/tasks',
        input: { due_before: 'soon' },
        fields: ['due_before'],
      },
      {
        method: 'get',
        url: `/tasks/${task.id}/comments`,
        input: { limit: 101 },
        fields: ['limit'],
      },
      {
        method: 'get',
        url: `/comments/${comment.id}/revisions`,
        input: { cursor: '!!!' },
        fields: ['cursor'],
      },
      {
        method: 'get',
        url: `/projects/${web.id}/activity-feed`,
        input: { limit: 'all' },
        fields: ['limit'],
      },
    ]
    for (const { method, url, input, fields } of cases) {
      const response =
        method === 'get' ? await owner.get(url, input) : await owner[method](url, input)
      assert.equal(response.status(), 422, `${method.toUpperCase()} ${url}`)
      assert.sameMembers(
        response.body().errors.map((error: { field: string }) => error.field),
        fields,
        `${method.toUpperCase()} ${url}`
      )
    }

    const after = await Promise.all([
      owner.get(`/projects/${web.id}`),
      owner.get(`/tasks/${task.id}`),
      owner.get(`/tasks/${task.id}/comments`),
      owner.get(`/projects/${web.id}/members`),
      owner.get(`/projects/${web.id}/statuses`),
    ])
    assert.deepEqual(
      after.map((response) => response.body()),
      before.map((response) => response.body())
    )
  })
})
