import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { messagingFixtures, postMessage } from '#tests/helpers/messaging'

interface BadInput {
  method: 'get' | 'post' | 'patch' | 'put'
  url: string
  input?: Record<string, unknown>
  fields: string[]
}

test.group('Messaging API: bad input', (group) => {
  group.each.setup(() => resetDatabase())

  test('every messaging endpoint with input names the bad fields and changes nothing', async ({
    client,
    assert,
  }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const { owner } = acme
    const channel = await acme.channel({ topic: 'Untouched' })
    const message = await postMessage(owner, channel.id, 'Untouched')
    await postMessage(owner, channel.id, 'A reply', { thread_id: message.id })
    const snapshot = () =>
      Promise.all([
        owner.get(`/channels/${channel.id}`),
        owner.get(`/channels/${channel.id}/members`),
        owner.get(`/channels/${channel.id}/messages`, { after_seq: 0 }),
        owner.get('/channels'),
        owner.get('/audit-events'),
      ])
    const before = await snapshot()

    const cases: BadInput[] = [
      {
        method: 'post',
        url: '/channels',
        input: { name: ' ', type: 'secret', member_ids: 'all', extra: 1 },
        fields: ['name', 'type', 'member_ids', 'extra'],
      },
      {
        method: 'post',
        url: '/channels',
        input: { name: 'Twice', type: 'public', member_ids: [2, 2], topic: 'x'.repeat(251) },
        fields: ['member_ids', 'topic'],
      },
      {
        method: 'patch',
        url: `/channels/${channel.id}`,
        input: { name: 'x'.repeat(81), archived: 'maybe', kind: 'private' },
        fields: ['name', 'archived', 'kind'],
      },
      { method: 'get', url: '/channels', input: { scope: 'all' }, fields: ['scope'] },
      {
        method: 'get',
        url: `/channels/${channel.id}/members`,
        input: { limit: 0 },
        fields: ['limit'],
      },
      {
        method: 'post',
        url: `/channels/${channel.id}/members`,
        input: { user_ids: [] },
        fields: ['user_ids'],
      },
      {
        method: 'post',
        url: '/direct-messages',
        input: { user_ids: 'everyone', topic: 'x' },
        fields: ['user_ids', 'topic'],
      },
      {
        method: 'post',
        url: '/direct-messages',
        input: { user_ids: Array.from({ length: 10 }, (_, index) => index + 1) },
        fields: ['user_ids'],
      },
      {
        method: 'get',
        url: `/channels/${channel.id}/messages`,
        input: { limit: 201, after_seq: -1, thread_id: 'root' },
        fields: ['limit', 'after_seq', 'thread_id'],
      },
      {
        method: 'get',
        url: `/channels/${channel.id}/messages`,
        input: { after_seq: 1, before_seq: 5 },
        fields: ['before_seq'],
      },
      {
        method: 'get',
        url: `/channels/${channel.id}/messages`,
        input: { thread_id: message.id, before_seq: 5 },
        fields: ['before_seq'],
      },
      {
        method: 'get',
        url: `/channels/${channel.id}/messages`,
        input: { thread_id: 999_999 },
        fields: ['thread_id'],
      },
      {
        method: 'post',
        url: `/channels/${channel.id}/messages`,
        input: { body: '', client_id: 'has space', thread_id: 'x', sender_id: 1 },
        fields: ['body', 'client_id', 'thread_id', 'sender_id'],
      },
      {
        method: 'post',
        url: `/channels/${channel.id}/messages`,
        input: { body: 'x'.repeat(40_001), client_id: 'c'.repeat(101) },
        fields: ['body', 'client_id'],
      },
      {
        method: 'patch',
        url: `/messages/${message.id}`,
        input: { body: '   ', pinned: true },
        fields: ['body', 'pinned'],
      },
      {
        method: 'get',
        url: `/messages/${message.id}/revisions`,
        input: { cursor: '!!!' },
        fields: ['cursor'],
      },
      { method: 'put', url: `/messages/${message.id}/reactions/smile`, fields: ['emoji'] },
      {
        method: 'put',
        url: `/messages/${message.id}/reactions/${encodeURIComponent('👍 ok')}`,
        fields: ['emoji'],
      },
      {
        method: 'post',
        url: `/channels/${channel.id}/read`,
        input: { seq: -1, user_id: 1 },
        fields: ['seq', 'user_id'],
      },
      { method: 'post', url: `/channels/${channel.id}/read`, input: { seq: 3 }, fields: ['seq'] },
      {
        method: 'get',
        url: `/channels/${channel.id}/pins`,
        input: { limit: 'all' },
        fields: ['limit'],
      },
    ]
    for (const { method, url, input, fields } of cases) {
      const response =
        method === 'get' ? await owner.get(url, input) : await owner[method](url, input)
      const label = `${method.toUpperCase()} ${url} ${JSON.stringify(input)}`
      assert.equal(response.status(), 422, label)
      assert.sameMembers(
        response.body().errors.map((error: { field: string }) => error.field),
        fields,
        label
      )
    }

    const after = await snapshot()
    assert.deepEqual(
      after.map((response) => response.body()),
      before.map((response) => response.body())
    )
  })
})
