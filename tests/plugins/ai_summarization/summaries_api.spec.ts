import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { as, createProject, createTask, postComment, type Api } from '#tests/helpers/work'
import { messagingFixtures, postMessage } from '#tests/helpers/messaging'
import { installPlugin, runPluginsDuringEachTest, settlePluginWork } from '#tests/helpers/plugins'
import { closeAll, connectSocket, recordEvents } from '#tests/helpers/realtime'
import { eventually } from '#tests/helpers/wait'
import { FakeLlmServer } from './fake_llm_server.js'

const PLUGIN = 'ai_summarization'
const PERMISSIONS = ['users:read', 'projects:read', 'tasks:read', 'messages:read', 'network']
const SECRET_PAY_NOTE = 'Carol salary goes to 95k in January'

/** Today's period, wide enough for messages posted during the test. */
function today() {
  const now = Date.now()
  return {
    from: new Date(now - 60 * 60 * 1000).toISOString(),
    to: new Date(now + 60 * 60 * 1000).toISOString(),
  }
}

async function install(client: ApiClient, tenant: TestTenant, settings: Record<string, unknown>) {
  return installPlugin(client, tenant, PLUGIN, { permissions: PERMISSIONS, settings })
}

/** Requests a summary and polls it, as a client would, until it is no longer pending. */
async function summarize(api: Api, body: Record<string, unknown>) {
  const requested = await api.post(`/plugins/${PLUGIN}/summaries`, body)
  requested.assertStatus(202)
  assert202Pending(requested.body().data)
  await settlePluginWork()
  let summary = requested.body().data
  await eventually(async () => {
    const shown = await api.get(`/plugins/${PLUGIN}/summaries/${summary.id}`)
    shown.assertStatus(200)
    summary = shown.body().data
    return summary.status !== 'pending'
  }, 10_000)
  return summary
}

function assert202Pending(summary: { status: string; text: unknown }) {
  if (summary.status !== 'pending' || summary.text !== null) {
    throw new Error(`Expected a pending summary, got ${JSON.stringify(summary)}`)
  }
}

/**
 * Acme: Alice and the owner talk in #release; the owner alone has a
 * private #hr channel with a pay note.
 */
async function acmeWithChannels(client: ApiClient) {
  const acme = await createTenant('acme')
  const chat = messagingFixtures(client, acme)
  const alice = await chat.member('member')
  const release = await chat.channel({ name: 'release' })
  await chat.join(release.id, alice.user.id)
  const hr = await chat.channel({ name: 'hr', type: 'private' })
  await postMessage(
    chat.owner,
    release.id,
    'We decided to ship the 2.3 release on Thursday after the QA sign-off.'
  )
  await postMessage(alice.api, release.id, 'I will update the release notes for 2.3 by Wednesday.')
  await postMessage(chat.owner, hr.id, SECRET_PAY_NOTE)
  return { acme, owner: chat.owner, alice, release, hr }
}

test.group('AI summaries over HTTP', (group) => {
  let fake: FakeLlmServer
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())
  group.each.setup(async () => {
    fake = await FakeLlmServer.start()
    return () => fake.close()
  })

  test('a channel summary by the configured model reaches the requester', async ({
    client,
    assert,
  }) => {
    const { acme, alice, release } = await acmeWithChannels(client)
    await install(client, acme, { base_url: fake.baseUrl, api_key: 'sk-acme', model: 'acme-mini' })
    fake.answer({ text: 'The team ships 2.3 on Thursday; Alice updates the notes.' })
    const socket = await connectSocket({ host: acme.host, token: alice.token })
    const ready = recordEvents(socket, `plugin:${PLUGIN}:summary.ready`)

    try {
      const summary = await summarize(alice.api, {
        kind: 'channel',
        channel_id: release.id,
        ...today(),
      })

      assert.containsSubset(summary, {
        kind: 'channel',
        source: { channel_id: release.id },
        status: 'ready',
        method: 'llm',
        model: 'acme-mini',
        label: 'AI summary (acme-mini)',
        text: 'The team ships 2.3 on Thursday; Alice updates the notes.',
        fallback_reason: null,
        requester_id: alice.user.id,
      })
      assert.lengthOf(fake.requests, 1)
      const [request] = fake.requests
      assert.equal(request.model, 'acme-mini')
      assert.equal(request.headers.authorization, 'Bearer sk-acme')
      assert.include(request.messages[1].content, 'Olive Owner: We decided to ship the 2.3 release')
      assert.include(request.messages[1].content, 'I will update the release notes')
      const [pushed] = await ready.until((list) => list.length === 1)
      assert.deepEqual(pushed, summary)
    } finally {
      closeAll(socket)
    }
  })

  test('a private channel the requester is not in: 404, and its content never reaches the model', async ({
    client,
    assert,
  }) => {
    const { acme, alice, hr, release } = await acmeWithChannels(client)
    await install(client, acme, { base_url: fake.baseUrl, api_key: 'sk-acme' })

    const refused = await alice.api.post(`/plugins/${PLUGIN}/summaries`, {
      kind: 'channel',
      channel_id: hr.id,
      ...today(),
    })
    const unknown = await alice.api.post(`/plugins/${PLUGIN}/summaries`, {
      kind: 'channel',
      channel_id: hr.id + 1000,
      ...today(),
    })
    await summarize(alice.api, { kind: 'channel', channel_id: release.id, ...today() })

    refused.assertStatus(404)
    assert.equal(errorCode(refused), 'E_NOT_FOUND')
    assert.deepEqual(unknown.body(), refused.body())
    assert.lengthOf(fake.requests, 1)
    for (const request of fake.requests) {
      assert.notInclude(fake.sentText(request), SECRET_PAY_NOTE)
    }
  })

  test("a summary is its requester's: not another member's, not another workspace's", async ({
    client,
    assert,
  }) => {
    const { acme, owner, alice, release } = await acmeWithChannels(client)
    const globex = await createTenant('globex')
    await install(client, acme, {})
    await install(client, globex, {})
    const summary = await summarize(alice.api, {
      kind: 'channel',
      channel_id: release.id,
      ...today(),
    })

    const byOwner = await owner.get(`/plugins/${PLUGIN}/summaries/${summary.id}`)
    const globexOwner = as(client, globex, globex.ownerToken)
    const fromGlobex = await globexOwner.get(`/plugins/${PLUGIN}/summaries/${summary.id}`)
    const withAcmeTokenOnGlobex = await as(client, globex, alice.token).get(
      `/plugins/${PLUGIN}/summaries/${summary.id}`
    )
    const aliceList = await alice.api.get(`/plugins/${PLUGIN}/summaries`)
    const ownerList = await owner.get(`/plugins/${PLUGIN}/summaries`)

    byOwner.assertStatus(404)
    fromGlobex.assertStatus(404)
    assert.notEqual(withAcmeTokenOnGlobex.status(), 200)
    assert.deepEqual(
      aliceList.body().data.map((item: { id: number }) => item.id),
      [summary.id]
    )
    assert.deepEqual(ownerList.body().data, [])
  })

  test('without a model: an extractive summary, labelled as such', async ({ client, assert }) => {
    const { acme, alice, release } = await acmeWithChannels(client)
    await install(client, acme, {})

    const summary = await summarize(alice.api, {
      kind: 'channel',
      channel_id: release.id,
      ...today(),
    })

    assert.containsSubset(summary, {
      status: 'ready',
      method: 'extractive',
      model: null,
      fallback_reason: null,
      label: 'Extractive summary: key sentences quoted from the conversation, no AI model involved',
    })
    assert.include(summary.text, 'Olive Owner: We decided to ship the 2.3 release on Thursday')
    assert.notInclude(summary.text, SECRET_PAY_NOTE)
    assert.lengthOf(fake.requests, 0)
  })

  test('a model failing after its retries: extractive, with the reason', async ({
    client,
    assert,
  }) => {
    const { acme, alice, release } = await acmeWithChannels(client)
    await install(client, acme, { base_url: fake.baseUrl, api_key: 'sk-acme', max_retries: 1 })
    fake.answer({ status: 500 }, { status: 500 })

    const summary = await summarize(alice.api, {
      kind: 'channel',
      channel_id: release.id,
      ...today(),
    })

    assert.containsSubset(summary, {
      status: 'ready',
      method: 'extractive',
      fallback_reason: 'llm_unavailable',
    })
    assert.lengthOf(fake.requests, 2)
  })

  test('the API key is masked in the plugin settings', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    await install(client, acme, { base_url: fake.baseUrl, api_key: 'sk-very-secret' })

    const shown = await as(client, acme, acme.ownerToken).get(`/plugins/${PLUGIN}`)

    shown.assertStatus(200)
    const settings = shown.body().data.installation.settings
    assert.equal(settings.base_url, fake.baseUrl)
    assert.notInclude(JSON.stringify(shown.body()), 'sk-very-secret')
    assert.isString(settings.api_key)
  })

  test('a task discussion, with personal data redacted', async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const web = await createProject(owner)
    const task = await createTask(owner, web.id, {
      title: 'Refund a customer',
      description: 'The customer was charged twice.',
    })
    await postComment(owner, task.id, 'Refund to jane.doe@example.com, card 4111 1111 1111 1111.')
    await install(client, acme, { base_url: fake.baseUrl, redact_pii: true })

    const summary = await summarize(owner, { kind: 'task', task_id: task.id })

    assert.equal(summary.method, 'llm')
    const sent = fake.sentText(fake.requests[0])
    assert.include(sent, `task ${task.key} "Refund a customer"`)
    assert.include(sent, 'Task description: The customer was charged twice.')
    assert.include(sent, 'Olive Owner: Refund to [email], card [card number].')
    assert.notInclude(sent, 'jane.doe')
    assert.notProperty(fake.requests[0].headers, 'authorization')
  })

  test("a project's week, from its activity feed", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const owner = as(client, acme, acme.ownerToken)
    const web = await createProject(owner)
    const task = await createTask(owner, web.id, { title: 'Launch page' })
    await install(client, acme, { base_url: fake.baseUrl })
    const fed = await eventually(async () => {
      const feed = await owner.get(`/projects/${web.id}/activity-feed`)
      return feed.body().data?.length >= 2
    }, 5_000)
    assert.isTrue(fed)

    const summary = await summarize(owner, { kind: 'project_week', project_id: web.id })

    assert.equal(summary.method, 'llm')
    assert.include(fake.sentText(fake.requests[0]), `created task ${task.key} "Launch page"`)
  })

  test('bad requests are refused with the field', async ({ client, assert }) => {
    const { acme, alice, release } = await acmeWithChannels(client)
    await install(client, acme, {})

    const reversed = await alice.api.post(`/plugins/${PLUGIN}/summaries`, {
      kind: 'channel',
      channel_id: release.id,
      from: '2026-11-09',
      to: '2026-11-02',
    })
    const unknownKind = await alice.api.post(`/plugins/${PLUGIN}/summaries`, { kind: 'all' })

    reversed.assertStatus(422)
    assert.equal(reversed.body().errors[0].field, 'to')
    unknownKind.assertStatus(422)
    assert.equal(unknownKind.body().errors[0].field, 'kind')
  })
})
