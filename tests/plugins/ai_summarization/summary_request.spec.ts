import { test } from '@japa/runner'
import { PluginError } from '#plugin-api'
import { parseSummaryRequest } from '../../../plugins/ai_summarization/summary_request.js'

async function refusal(body: unknown) {
  try {
    await parseSummaryRequest(body)
  } catch (error) {
    if (error instanceof PluginError) {
      return { code: error.code, status: error.status, field: error.field }
    }
    throw error
  }
  throw new Error('Expected the request to be refused')
}

test.group('Summary requests', () => {
  test('a channel period, in UTC', async ({ assert }) => {
    const source = await parseSummaryRequest({
      kind: 'channel',
      channel_id: 4,
      from: '2026-11-02',
      to: '2026-11-09T12:00:00+02:00',
    })

    assert.deepEqual(source, {
      kind: 'channel',
      channel_id: 4,
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-09T10:00:00.000Z',
    })
  })

  test('a thread and a task', async ({ assert }) => {
    assert.deepEqual(await parseSummaryRequest({ kind: 'thread', channel_id: 4, thread_id: 90 }), {
      kind: 'thread',
      channel_id: 4,
      thread_id: 90,
    })
    assert.deepEqual(await parseSummaryRequest({ kind: 'task', task_id: 12 }), {
      kind: 'task',
      task_id: 12,
    })
  })

  test('a project week runs from Monday 00:00 UTC for seven days', async ({ assert }) => {
    // 2026-11-26 is a Thursday.
    const source = await parseSummaryRequest({
      kind: 'project_week',
      project_id: 3,
      week_of: '2026-11-26',
    })

    assert.deepEqual(source, {
      kind: 'project_week',
      project_id: 3,
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    })
  })

  test('without week_of, the current week', async ({ assert }) => {
    const source = await parseSummaryRequest(
      { kind: 'project_week', project_id: 3 },
      new Date('2026-11-29T23:00:00Z')
    )

    assert.containsSubset(source, { from: '2026-11-23T00:00:00.000Z' })
  })

  test('refuses an unknown kind, a bad id, a bad date and a reversed or long period', async ({
    assert,
  }) => {
    const invalid = { code: 'E_VALIDATION_ERROR', status: 422 }
    assert.deepEqual(await refusal({ kind: 'everything' }), { ...invalid, field: 'kind' })
    assert.deepEqual(await refusal({ kind: 'task', task_id: 'x' }), {
      ...invalid,
      field: 'task_id',
    })
    const period = { kind: 'channel', channel_id: 1 }
    assert.deepEqual(await refusal({ ...period, from: 'yesterday', to: '2026-11-09' }), {
      ...invalid,
      field: 'from',
    })
    assert.deepEqual(await refusal({ ...period, from: '2026-11-09', to: '2026-11-02' }), {
      ...invalid,
      field: 'to',
    })
    assert.deepEqual(await refusal({ ...period, from: '2026-10-01', to: '2026-11-02' }), {
      ...invalid,
      field: 'to',
    })
  })
})
