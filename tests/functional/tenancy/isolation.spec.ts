import { test } from '@japa/runner'
import User from '#identity/models/user'
import { TenantNotBoundException } from '#tenancy/exceptions'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { allPages, createProject, createTask, type Api } from '#tests/helpers/work'
import { workFixtures, type WorkFixtures } from '#tests/helpers/work_fixtures'
import Project from '#work/models/project'
import Task from '#work/models/task'
import Comment from '#work/models/comment'
import WorkflowStatus from '#work/models/workflow_status'
import { messagingFixtures, postMessage, type MessagingFixtures } from '#tests/helpers/messaging'

/**
 * Both tenants get members with the same emails; names say whose they are.
 */
async function seedLookalikes(tenant: TestTenant, label: string, count: number) {
  for (let index = 0; index < count; index++) {
    const { user } = await tenant.member('member', `person${index}@shared.test`)
    await tenant.run(async () => {
      user.fullName = `${label} person ${index}`
      await user.save()
    })
  }
}

/**
 * One of everything the work routes take an id of: a project with a
 * member, an edited comment on an assigned task, a second task.
 */
async function seedWork(tenant: WorkFixtures) {
  const { user: member } = await tenant.member('member')
  const project = await tenant.project()
  await tenant.join(project.id, member.id, 'member')
  const statuses = await tenant.statuses(project.id)
  const task = await tenant.task(project.id, { assignee_ids: [member.id], labels: ['x'] })
  const other = await tenant.task(project.id, { status: 'In Progress' })
  const comment = await tenant.comment(task.id, 'First words')
  await tenant.owner
    .patch(`/comments/${comment.id}`, { body: 'Second words' })
    .then((response) => response.assertStatus(200))
  return {
    project: project.id,
    member: member.id,
    status: statuses[statuses.length - 1].id,
    task: task.id,
    other: other.id,
    comment: comment.id,
  }
}

/** Everything the tenant's owner can read about its work, to compare before and after. */
async function workSnapshot(tenant: WorkFixtures, ids: Awaited<ReturnType<typeof seedWork>>) {
  const api = tenant.owner
  const read = async (url: string) => {
    const response = await api.get(url)
    response.assertStatus(200)
    return response.body().data
  }
  return {
    projects: await allPages(api, '/projects'),
    project: await read(`/projects/${ids.project}`),
    members: await allPages(api, `/projects/${ids.project}/members`),
    statuses: await read(`/projects/${ids.project}/statuses`),
    tasks: await allPages(api, `/projects/${ids.project}/tasks`),
    task: await read(`/tasks/${ids.task}`),
    other: await read(`/tasks/${ids.other}`),
    comments: await allPages(api, `/tasks/${ids.task}/comments`),
    revisions: await allPages(api, `/comments/${ids.comment}/revisions`),
    audit: await allPages(api, '/audit-events'),
  }
}

/**
 * One of everything the chat routes take an id of: a channel with a
 * member, an edited, reacted and pinned message with a reply, a DM.
 */
async function seedChat(tenant: MessagingFixtures) {
  const { user: member, api } = await tenant.member('member')
  const channel = await tenant.channel({ member_ids: [member.id] })
  const message = await postMessage(tenant.owner, channel.id, 'First words')
  await postMessage(api, channel.id, 'A reply', { thread_id: message.id })
  for (const [method, url, body] of [
    ['patch', `/messages/${message.id}`, { body: 'Second words' }],
    ['put', `/messages/${message.id}/reactions/:eyes:`],
    ['post', `/messages/${message.id}/pin`],
  ] as const) {
    const response = await tenant.owner.request(method, url).json(body ?? {})
    if (response.status() >= 300) {
      response.assertStatus(200)
    }
  }
  const dm = await tenant.owner.post('/direct-messages', { user_ids: [member.id] })
  dm.assertStatus(201)
  return { channel: channel.id, member: member.id, message: message.id, dm: dm.body().data.id }
}

/** Everything the tenant's owner can read about its chat, to compare before and after. */
async function chatSnapshot(tenant: MessagingFixtures, ids: Awaited<ReturnType<typeof seedChat>>) {
  const api = tenant.owner
  const read = async (url: string, qs: Record<string, unknown> = {}) => {
    const response = await api.get(url, qs)
    response.assertStatus(200)
    return response.body().data
  }
  return {
    channels: await allPages(api, '/channels'),
    channel: await read(`/channels/${ids.channel}`),
    dm: await read(`/channels/${ids.dm}`),
    members: await allPages(api, `/channels/${ids.channel}/members`),
    changes: await read(`/channels/${ids.channel}/messages`, { after_seq: 0 }),
    message: await read(`/messages/${ids.message}`),
    revisions: await allPages(api, `/messages/${ids.message}/revisions`),
    pins: await allPages(api, `/channels/${ids.channel}/pins`),
    audit: await allPages(api, '/audit-events'),
  }
}

type Attempt = [
  method: 'get' | 'post' | 'patch' | 'put' | 'delete',
  url: string,
  body?: Record<string, unknown>,
  qs?: Record<string, unknown>,
]

/**
 * Sends each attempt as the other tenant's owner: ids in the path must
 * find nothing (404), ids in a body must be refused as input (422). The
 * outcomes expected and observed, keyed by request.
 */
async function attemptAll(api: Api, inPath: Attempt[], inBody: Attempt[]) {
  const describe = ([method, url, body, qs]: Attempt) => {
    const query = qs ? `?${new URLSearchParams(qs as Record<string, string>)}` : ''
    return `${method.toUpperCase()} ${url}${query}${body ? ` ${JSON.stringify(body)}` : ''}`
  }
  const expected: Record<string, string> = {}
  const observed: Record<string, string> = {}
  for (const [attempts, outcome] of [
    [inPath, '404 E_NOT_FOUND'],
    [inBody, '422 E_VALIDATION_ERROR'],
  ] as const) {
    for (const attempt of attempts) {
      const [method, url, body, qs] = attempt
      const pending = api.request(method, url).qs(qs ?? {})
      const response = await (body ? pending.json(body) : pending)
      expected[describe(attempt)] = outcome
      observed[describe(attempt)] = `${response.status()} ${errorCode(response)}`
    }
  }
  return { expected, observed }
}

test.group('Tenant isolation', (group) => {
  group.each.setup(() => resetDatabase())

  test('500 interleaved concurrent requests of two tenants never see each other', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    await seedLookalikes(acme, 'acme', 5)
    await seedLookalikes(globex, 'globex', 5)

    const requests = Array.from({ length: 500 }, (_, index) => {
      const tenant = index % 2 === 0 ? acme : globex
      return client
        .get('/api/v1/members')
        .qs({ limit: 100 })
        .header('host', tenant.host)
        .bearerToken(tenant.ownerToken)
        .then((response) => ({ tenant, response }))
    })

    for (const { tenant, response } of await Promise.all(requests)) {
      response.assertStatus(200)
      const members = response.body().data as { full_name: string; email: string }[]
      assert.lengthOf(members, 6)
      const lookalikes = members.filter((member) => member.email.endsWith('@shared.test'))
      assert.isTrue(
        lookalikes.every((member) => member.full_name.startsWith(`${tenant.slug} `)),
        `${tenant.slug} saw another tenant's members`
      )
    }
  }).timeout(120_000)

  test("ids of one tenant reach nothing on the other's host", async ({ client, assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    // Acme has more members, so its highest ids do not exist at Globex.
    await seedLookalikes(acme, 'acme', 4)
    const { user: acmeOnly } = await acme.member('member', 'only@acme.test')

    const response = await client
      .post(`/api/v1/members/${acmeOnly.id}/deactivate`)
      .header('host', globex.host)
      .bearerToken(globex.ownerToken)
    response.assertStatus(404)
    assert.equal(errorCode(response), 'E_NOT_FOUND')

    const stillActive = await acme.run(() => User.findOrFail(acmeOnly.id))
    assert.equal(stillActive.status, 'active')
  })

  test("work ids of one tenant reach nothing on the other's host", async ({ client, assert }) => {
    const acme = workFixtures(client, await createTenant('acme'))
    const globex = workFixtures(client, await createTenant('globex'))
    const G = await seedWork(globex)
    // Acme makes more of everything, so its latest ids do not exist at Globex.
    await seedWork(acme)
    await seedWork(acme)
    const A = await seedWork(acme)
    await globex.tenant.run(async () => {
      assert.isNull(await Project.find(A.project))
      assert.isNull(await Task.find(A.task))
      assert.isNull(await Task.find(A.other))
      assert.isNull(await Comment.find(A.comment))
      assert.isNull(await WorkflowStatus.find(A.status))
      assert.isNull(await User.find(A.member))
    })
    const acmeBefore = await workSnapshot(acme, A)
    const globexBefore = await workSnapshot(globex, G)

    // Acme's ids in the path: nothing there.
    const inPath: Attempt[] = [
      ['get', `/projects/${A.project}`],
      ['patch', `/projects/${A.project}`, { name: 'Taken over' }],
      ['delete', `/projects/${A.project}`],
      ['get', `/projects/${A.project}/members`],
      ['post', `/projects/${A.project}/members`, { user_id: 1, role: 'lead' }],
      ['delete', `/projects/${A.project}/members/${A.member}`],
      ['delete', `/projects/${G.project}/members/${A.member}`],
      ['get', `/projects/${A.project}/statuses`],
      ['post', `/projects/${A.project}/statuses`, { name: 'Planted', category: 'todo' }],
      ['patch', `/projects/${A.project}/statuses/${A.status}`, { name: 'Hijacked' }],
      ['delete', `/projects/${A.project}/statuses/${A.status}`],
      ['patch', `/projects/${G.project}/statuses/${A.status}`, { name: 'Hijacked' }],
      ['delete', `/projects/${G.project}/statuses/${A.status}`],
      ['get', `/projects/${A.project}/tasks`],
      ['post', `/projects/${A.project}/tasks`, { title: 'Planted' }],
      ['get', `/tasks/${A.task}`],
      ['patch', `/tasks/${A.task}`, { title: 'Hijacked' }],
      ['delete', `/tasks/${A.task}`],
      ['put', `/tasks/${A.task}/status`, { status: 'Done' }],
      ['post', `/tasks/${A.task}/move`, {}],
      ['post', `/tasks/${A.task}/move`, { project_id: G.project }],
      ['get', `/tasks/${A.task}/comments`],
      ['post', `/tasks/${A.task}/comments`, { body: 'Planted' }],
      ['patch', `/comments/${A.comment}`, { body: 'Hijacked' }],
      ['delete', `/comments/${A.comment}`],
      ['get', `/comments/${A.comment}/revisions`],
      ['get', `/projects/${A.project}/activity-feed`],
    ]
    // Acme's ids in the body of a request about Globex's own work: invalid references.
    const inBody: Attempt[] = [
      ['post', `/tasks/${G.task}/move`, { project_id: A.project }],
      ['post', `/tasks/${G.task}/move`, { before_id: A.task }],
      ['post', `/projects/${G.project}/members`, { user_id: A.member, role: 'member' }],
      ['post', `/projects/${G.project}/tasks`, { title: 'x', assignee_ids: [A.member] }],
      ['post', `/projects/${G.project}/tasks`, { title: 'x', parent_id: A.task }],
      ['post', `/projects/${G.project}/tasks`, { title: 'x', status: A.status }],
      ['patch', `/tasks/${G.task}`, { parent_id: A.other }],
      ['patch', `/tasks/${G.task}`, { assignee_ids: [A.member] }],
      ['patch', `/tasks/${G.task}`, { status: A.status }],
      ['put', `/tasks/${G.task}/status`, { status: A.status }],
      ['patch', `/projects/${G.project}`, { lead_id: A.member }],
      ['post', '/projects', { name: 'Lead elsewhere', key: 'LEAD', lead_id: A.member }],
    ]

    const { expected, observed } = await attemptAll(globex.owner, inPath, inBody)
    // What matters most first: nothing changed on either side.
    assert.deepEqual(await workSnapshot(acme, A), acmeBefore)
    assert.deepEqual(await workSnapshot(globex, G), globexBefore)
    assert.deepEqual(observed, expected)

    // A mention of an Acme member at Globex mentions nobody.
    const mention = await globex.owner.post(`/tasks/${G.task}/comments`, {
      body: `Hello <@${A.member}>`,
    })
    mention.assertStatus(201)
    assert.deepEqual(mention.body().data.mention_ids, [])
  }).timeout(60_000)

  test("chat ids of one tenant reach nothing on the other's host", async ({ client, assert }) => {
    const acme = messagingFixtures(client, await createTenant('acme'))
    const globex = messagingFixtures(client, await createTenant('globex'))
    const G = await seedChat(globex)
    // Acme makes more of everything, so its latest ids do not exist at Globex.
    await seedChat(acme)
    await seedChat(acme)
    const A = await seedChat(acme)
    const acmeBefore = await chatSnapshot(acme, A)
    const globexBefore = await chatSnapshot(globex, G)

    const reaction = `reactions/${encodeURIComponent('👍')}`
    const inPath: Attempt[] = [
      ['get', `/channels/${A.channel}`],
      ['patch', `/channels/${A.channel}`, { name: 'Taken over' }],
      ['delete', `/channels/${A.channel}`],
      ['get', `/channels/${A.dm}`],
      ['get', `/channels/${A.channel}/members`],
      ['post', `/channels/${A.channel}/members`, { user_ids: [1] }],
      ['delete', `/channels/${A.channel}/members/${A.member}`],
      ['delete', `/channels/${G.channel}/members/${A.member}`],
      ['get', `/channels/${A.channel}/messages`],
      ['get', `/channels/${A.channel}/messages`, undefined, { after_seq: 0 }],
      ['post', `/channels/${A.channel}/messages`, { body: 'Planted', client_id: 'x' }],
      ['post', `/channels/${A.dm}/messages`, { body: 'Planted', client_id: 'y' }],
      ['get', `/messages/${A.message}`],
      ['patch', `/messages/${A.message}`, { body: 'Hijacked' }],
      ['delete', `/messages/${A.message}`],
      ['get', `/messages/${A.message}/revisions`],
      ['put', `/messages/${A.message}/${reaction}`],
      ['delete', `/messages/${A.message}/reactions/:eyes:`],
      ['post', `/messages/${A.message}/pin`],
      ['delete', `/messages/${A.message}/pin`],
      ['get', `/channels/${A.channel}/pins`],
      ['post', `/channels/${A.channel}/read`, { seq: 0 }],
    ]
    const inBody: Attempt[] = [
      ['post', '/channels', { name: 'With a stranger', type: 'public', member_ids: [A.member] }],
      ['post', `/channels/${G.channel}/members`, { user_ids: [A.member] }],
      ['post', '/direct-messages', { user_ids: [A.member] }],
      [
        'post',
        `/channels/${G.channel}/messages`,
        { body: 'Reply', client_id: 'z', thread_id: A.message },
      ],
      ['get', `/channels/${G.channel}/messages`, undefined, { thread_id: A.message }],
    ]

    const { expected, observed } = await attemptAll(globex.owner, inPath, inBody)
    assert.deepEqual(await chatSnapshot(acme, A), acmeBefore)
    assert.deepEqual(await chatSnapshot(globex, G), globexBefore)
    assert.deepEqual(observed, expected)

    // A mention of an Acme member at Globex mentions nobody.
    const mention = await postMessage(globex.owner, G.channel, `Hello <@${A.member}>`)
    assert.deepEqual(mention.mention_ids, [])
  }).timeout(60_000)

  test('500 interleaved concurrent board reads of two lookalike tenants never mix', async ({
    client,
    assert,
  }) => {
    const tenants = [await createTenant('acme'), await createTenant('globex')]
    const boards = new Map<TestTenant, number>()
    for (const tenant of tenants) {
      const api = workFixtures(client, tenant).owner
      const project = await createProject(api, { name: `${tenant.slug} website`, key: 'WEB' })
      for (let index = 1; index <= 5; index++) {
        await createTask(api, project.id, { title: `${tenant.slug} task ${index}` })
      }
      boards.set(tenant, project.id)
    }
    // The same path on both hosts.
    assert.equal(boards.get(tenants[0]), boards.get(tenants[1]))

    const requests = Array.from({ length: 500 }, (_, index) => {
      const tenant = tenants[index % 2]
      return client
        .get(`/api/v1/projects/${boards.get(tenant)}/tasks`)
        .qs({ limit: 100 })
        .header('host', tenant.host)
        .bearerToken(tenant.ownerToken)
        .then((response) => ({ tenant, response }))
    })

    for (const { tenant, response } of await Promise.all(requests)) {
      response.assertStatus(200)
      const tasks = response.body().data as { key: string; title: string }[]
      assert.deepEqual(
        tasks.map((task) => `${task.key} ${task.title}`),
        [1, 2, 3, 4, 5].map((index) => `WEB-${index} ${tenant.slug} task ${index}`),
        `${tenant.slug} saw another tenant's tasks`
      )
    }
  }).timeout(120_000)

  test('a tenant model queried with no tenant bound throws instead of reading a schema', async ({
    assert,
  }) => {
    await createTenant('acme')
    await assert.rejects(() => User.query().first(), TenantNotBoundException)
    assert.throws(() => User.table, 'no tenant bound')
  })

  test('an unknown host gets 404 E_TENANT_NOT_FOUND', async ({ client, assert }) => {
    const response = await client.get('/api/v1/me').header('host', 'nobody.localhost')
    response.assertStatus(404)
    assert.equal(errorCode(response), 'E_TENANT_NOT_FOUND')
  })

  test('the bare domain serves no tenant routes, and tenant hosts serve no signup', async ({
    client,
    assert,
  }) => {
    const acme = await createTenant('acme')
    const bare = await client.get('/api/v1/me').header('host', 'localhost')
    bare.assertStatus(404)
    assert.equal(errorCode(bare), 'E_TENANT_NOT_FOUND')

    const signup = await client
      .post('/api/v1/organizations')
      .header('host', acme.host)
      .json({ slug: 'x' })
    signup.assertStatus(404)
  })

  test('a tenant created after the server started is served at once', async ({ client }) => {
    const before = await client.get('/api/v1/me').header('host', 'latecomer.localhost')
    before.assertStatus(404)
    const late = await createTenant('latecomer')
    const after = await client
      .get('/api/v1/me')
      .header('host', late.host)
      .bearerToken(late.ownerToken)
    after.assertStatus(200)
  })
})
