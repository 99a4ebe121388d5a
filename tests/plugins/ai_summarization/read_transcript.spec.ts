import { test } from '@japa/runner'
import type { PluginTask } from '#plugin-api'
import { readTranscript } from '../../../plugins/ai_summarization/sources/read_transcript.js'
import { canReadSource } from '../../../plugins/ai_summarization/sources/source_access.js'
import { StubCoreApi } from './stub_core_api.js'

const ALICE = 1
const BOB = 2
const period = { from: '2026-11-23T00:00:00.000Z', to: '2026-11-24T00:00:00.000Z' }

function team() {
  const core = new StubCoreApi()
  core.member(ALICE, 'Alice Martin')
  core.member(BOB, 'Bob Chen')
  core.channel(10, 'release', [ALICE, BOB])
  core.channel(11, 'hr-private', [BOB])
  return core
}

test.group('Reading a source as its requester', () => {
  test('a channel period: messages in order with their authors, deletions left out', async ({
    assert,
  }) => {
    const core = team()
    core.message(10, ALICE, 'Ship on Thursday?', '2026-11-23T09:00:00.000Z')
    core.message(10, BOB, null, '2026-11-23T09:01:00.000Z')
    core.message(10, BOB, 'Yes, after QA.', '2026-11-23T09:02:00.000Z')
    core.message(10, BOB, 'Next day', '2026-11-24T09:00:00.000Z')

    const content = await readTranscript(core.as(ALICE), {
      kind: 'channel',
      channel_id: 10,
      ...period,
    })

    assert.deepEqual(content, {
      transcript: {
        title: `the messages of #release from ${period.from} to ${period.to}`,
        entries: [
          { author: 'Alice Martin', at: '2026-11-23T09:00:00.000Z', text: 'Ship on Thursday?' },
          { author: 'Bob Chen', at: '2026-11-23T09:02:00.000Z', text: 'Yes, after QA.' },
        ],
      },
      truncated: false,
    })
  })

  test('a channel the requester is not in is neither readable nor read', async ({ assert }) => {
    const core = team()
    core.message(11, BOB, 'Salary review for Carol', '2026-11-23T09:00:00.000Z')
    const source = { kind: 'channel' as const, channel_id: 11, ...period }

    assert.isFalse(await canReadSource(core.as(ALICE), source))
    assert.isNull(await readTranscript(core.as(ALICE), source))
    assert.isTrue(await canReadSource(core.as(BOB), source))
  })

  test('a busy channel is read page after page, each message once', async ({ assert }) => {
    const core = team()
    for (let index = 0; index < 1200; index++) {
      // Two messages per second: pages end in the middle of a second.
      const at = new Date(Date.parse(period.from) + Math.floor(index / 2) * 1000).toISOString()
      core.message(10, index % 2 ? ALICE : BOB, `Message ${index}`, at)
    }

    const content = await readTranscript(core.as(ALICE), {
      kind: 'channel',
      channel_id: 10,
      ...period,
    })

    assert.deepEqual(
      content!.transcript.entries.map((entry) => entry.text),
      Array.from({ length: 1200 }, (_, index) => `Message ${index}`)
    )
  })

  for (const threadQueryIncludesRoot of [false, true]) {
    test(`a thread: its first message, then the replies (first message in the thread query: ${threadQueryIncludesRoot})`, async ({
      assert,
    }) => {
      const core = team()
      core.threadQueryIncludesRoot = threadQueryIncludesRoot
      const root = core.message(10, ALICE, 'Which date for the launch?', '2026-11-20T09:00:00.000Z')
      core.message(10, BOB, 'Unrelated', '2026-11-20T09:30:00.000Z')
      core.message(10, BOB, 'Thursday works.', '2026-11-21T10:00:00.000Z', { thread_id: root.id })
      core.message(10, ALICE, 'Thursday then.', '2026-11-21T10:05:00.000Z', { thread_id: root.id })
      const source = { kind: 'thread' as const, channel_id: 10, thread_id: root.id }

      const content = await readTranscript(core.as(ALICE), source)

      assert.deepEqual(
        content!.transcript.entries.map((entry) => `${entry.author}: ${entry.text}`),
        [
          'Alice Martin: Which date for the launch?',
          'Bob Chen: Thursday works.',
          'Alice Martin: Thursday then.',
        ]
      )
      assert.isTrue(await canReadSource(core.as(ALICE), source))
      assert.isFalse(await canReadSource(core.as(ALICE), { ...source, thread_id: 999 }))
      assert.isFalse(await canReadSource(core.as(ALICE), { ...source, channel_id: 11 }))
    })
  }

  test('a task: its description and its comments by their authors', async ({ assert }) => {
    const core = team()
    core.tasks.push({
      id: 5,
      key: 'WEB-5',
      project_id: 1,
      title: 'Fix login timeout',
      description: 'Users are logged out after five minutes.',
      status: { id: 1, name: 'In progress', category: 'in_progress' },
      created_at: '2026-11-20T08:00:00.000Z',
    } as PluginTask)
    core.comments.push(
      {
        id: 1,
        task_id: 5,
        author_id: BOB,
        body: 'The refresh token is not renewed.',
        deleted: false,
        created_at: '2026-11-20T09:00:00.000Z',
      },
      {
        id: 2,
        task_id: 5,
        author_id: ALICE,
        body: null,
        deleted: true,
        created_at: '2026-11-20T09:05:00.000Z',
      }
    )

    const content = await readTranscript(core.as(ALICE), { kind: 'task', task_id: 5 })

    assert.equal(
      content!.transcript.title,
      'the comments on task WEB-5 "Fix login timeout" (status In progress)'
    )
    assert.deepEqual(content!.transcript.entries, [
      {
        author: 'Task description',
        at: '2026-11-20T08:00:00.000Z',
        text: 'Users are logged out after five minutes.',
      },
      {
        author: 'Bob Chen',
        at: '2026-11-20T09:00:00.000Z',
        text: 'The refresh token is not renewed.',
      },
    ])
  })

  test('a project week: the activity feed in words', async ({ assert }) => {
    const core = team()
    core.projects.push({ id: 1, key: 'WEB', name: 'Website' } as never)
    const task = { type: 'task', id: 5, key: 'WEB-5', title: 'Fix login timeout' }
    core.activity.set(1, [
      {
        id: 2,
        actor: { id: BOB, full_name: 'Bob Chen' },
        verb: 'changed_status',
        object: task,
        changes: { status: { from: 'To do', to: 'Done' } },
        occurred_at: '2026-11-24T10:00:00.000Z',
      },
      {
        id: 1,
        actor: { id: ALICE, full_name: 'Alice Martin' },
        verb: 'created',
        object: task,
        changes: null,
        occurred_at: '2026-11-23T10:00:00.000Z',
      },
      {
        id: 3,
        actor: { id: ALICE, full_name: 'Alice Martin' },
        verb: 'added_member',
        object: { type: 'member', id: BOB },
        changes: { role: { from: null, to: 'member' } },
        occurred_at: '2026-11-25T10:00:00.000Z',
      },
      {
        id: 4,
        actor: null,
        verb: 'created',
        object: task,
        changes: null,
        occurred_at: '2026-12-01T10:00:00.000Z',
      },
    ])

    const content = await readTranscript(core.as(ALICE), {
      kind: 'project_week',
      project_id: 1,
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
    })

    assert.deepEqual(
      content!.transcript.entries.map((entry) => `${entry.author}: ${entry.text}`),
      [
        'Alice Martin: created task WEB-5 "Fix login timeout"',
        'Bob Chen: changed the status of task WEB-5 "Fix login timeout": status To do → Done',
        'Alice Martin: added Bob Chen: role none → member',
      ]
    )
  })
})
