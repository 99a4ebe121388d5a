/* eslint-disable @unicorn/no-await-expression-member -- these specs read an awaited response inline, one request per line */
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { ApiClient } from '@japa/api-client'
import { PluginJobs } from '#plugins/services/plugin_jobs'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { installPlugin, runPluginsDuringEachTest, settlePluginWork } from '#tests/helpers/plugins'
import { scimFor } from '#tests/helpers/scim'
import { createTenant } from '#tests/helpers/tenants'
import { type Api, as } from '#tests/helpers/work'
import { changeDirectory } from './directory_changes.js'
import {
  acmeSettings,
  directoryOptions,
  dnOf,
  EMPTY_OU,
  groupDn,
  LIMITED_SERVICE,
  PEOPLE,
  people,
  personAttributes,
} from './directory_seed.js'
import {
  acmeWithDirectory,
  auditOf,
  type Member,
  memberByEmail,
  membersOf,
  PLUGIN,
  signIn,
} from './ldap_helpers.js'
import { freePort, needsSlapd, type SlapdServer, startSlapd } from './slapd.js'

/** The entries a full sync of the seeded directory creates members for. */
const CREATED = [
  'ada@acme.test',
  'alan@acme.test',
  'grace@acme.test',
  'jose@acme.test',
  'linus@acme.test',
  'sam1@acme.test',
  'sam2@acme.test',
  'star@acme.test',
]

async function runSync(owner: Api, body: Record<string, unknown> = {}) {
  const response = await owner.post(`${PLUGIN}/sync`, body)
  response.assertStatus(200)
  return response.body().data
}

/** acme with the directory, and a first sync that created its members. */
async function syncedAcme(client: ApiClient, url: string, overrides: Record<string, unknown> = {}) {
  const workspace = await acmeWithDirectory(client, url, { sync_creates: true, ...overrides })
  const first = await runSync(workspace.owner)
  const member = async (email: string) =>
    (await memberByEmail(client, workspace.tenant, email)) as Member
  return { ...workspace, first, member }
}

test.group('ldap directory sync, against OpenLDAP', (group) => {
  needsSlapd(group)
  let slapd: SlapdServer
  group.setup(async () => {
    slapd = await startSlapd(directoryOptions())
    return () => slapd.stop()
  })
  group.each.setup(() => resetDatabase())
  group.each.setup(() => slapd.reset())

  test('a sync reads the directory page by page and creates members with their mapped roles', async ({
    client,
    assert,
  }) => {
    const { tenant, first: summary } = await syncedAcme(client, slapd.url, { page_size: 2 })

    assert.containsSubset(summary, {
      status: 'completed',
      trigger: 'admin',
      entries: 11,
      disabled_entries: 1,
      created: 8,
      deactivated: 0,
      skipped: 3,
      skipped_reasons: { no_email: 1, unlinked_member: 1, disabled_entry: 1 },
    })
    const members = await membersOf(client, tenant)
    const roles = Object.fromEntries(members.map((member) => [member.email, member.role]))
    assert.deepEqual(roles, {
      'owner@acme.test': 'owner',
      'ada@acme.test': 'admin',
      'alan@acme.test': 'member',
      'grace@acme.test': 'admin',
      'jose@acme.test': 'member',
      'linus@acme.test': 'guest',
      'sam1@acme.test': 'member',
      'sam2@acme.test': 'member',
      'star@acme.test': 'member',
    })
    // The owner's email is in the directory (olive), but the owner is not linked: untouched.
    assert.containsSubset(await memberByEmail(client, tenant, 'owner@acme.test'), {
      full_name: 'Olive Owner',
      role: 'owner',
    })
    // 11 entries at 2 a page: slapd answered the people search in 6 pages.
    const peopleSearches = slapd
      .log()
      .split('\n')
      .filter((line) => line.includes(`SRCH base="${PEOPLE}"`) && line.includes('(uid=*)'))
    assert.isAtLeast(peopleSearches.length, 6)
    const [completed] = await auditOf(client, tenant, 'ldap.sync_completed')
    assert.containsSubset(completed.metadata, { created: 8, entries: 11 })
  })

  test('the next sync applies what changed in the directory, and only that', async ({
    client,
    assert,
  }) => {
    const { owner, member } = await syncedAcme(client, slapd.url)
    await changeDirectory(slapd, async (directory) => {
      await directory.replace(dnOf(people.alan), 'cn', 'Alan M. Turing')
      await directory.replace(dnOf(people.alan), 'mail', 'alan.turing@acme.test')
      await directory.leaveGroup(groupDn('admins'), dnOf(people.ada))
    })

    const summary = await runSync(owner)

    assert.containsSubset(summary, { created: 0, updated: 2, unchanged: 6, deactivated: 0 })
    assert.containsSubset(await member('alan.turing@acme.test'), { full_name: 'Alan M. Turing' })
    assert.equal((await member('ada@acme.test')).role, 'member')
  })

  test('a member whose entry is deleted or disabled is deactivated; the sync reactivates its own when the entry is back', async ({
    client,
    assert,
  }) => {
    const { tenant, owner, member } = await syncedAcme(client, slapd.url, {
      sync_max_deactivation_percent: 50,
    })
    const session = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    const adaToken = session.body().data.token
    await changeDirectory(slapd, async (directory) => {
      await directory.remove(dnOf(people.alan))
      await directory.disable(dnOf(people.ada), true)
    })

    const leaving = await runSync(owner)

    assert.containsSubset(leaving, { deactivated: 2, deactivations_held: 0 })
    assert.equal((await member('ada@acme.test')).status, 'deactivated')
    assert.equal((await member('alan@acme.test')).status, 'deactivated')
    assert.equal((await as(client, tenant, adaToken).get('/me')).status(), 401)
    const reasons = (await auditOf(client, tenant, 'ldap.member_deactivated')).map((entry) => [
      entry.metadata!.dn,
      entry.metadata!.reason,
    ])
    assert.sameDeepMembers(reasons, [
      [dnOf(people.ada), 'disabled'],
      [dnOf(people.alan), 'gone'],
    ])
    const [coreEntry] = await auditOf(client, tenant, 'member.deactivated')
    assert.deepEqual(coreEntry.actor, { type: 'plugin', id: 'ldap' })

    await changeDirectory(slapd, (directory) => directory.disable(dnOf(people.ada), false))
    const back = await runSync(owner)

    assert.containsSubset(back, { reactivated: 1, deactivated: 0 })
    assert.equal((await member('ada@acme.test')).status, 'active')
    assert.equal((await member('alan@acme.test')).status, 'deactivated')
    ;(
      await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    ).assertStatus(201)
  })

  test('the sync never reactivates a member an admin or SCIM deactivated', async ({
    client,
    assert,
  }) => {
    const { tenant, owner, member } = await syncedAcme(client, slapd.url)
    const ada = await member('ada@acme.test')
    const alan = await member('alan@acme.test')
    ;(await owner.post(`/members/${ada.id}/deactivate`)).assertStatus(200)
    const scim = await scimFor(client, tenant)
    const scimOff = await scim.patch(`/Users/${alan.id}`, [
      { op: 'replace', path: 'active', value: false },
    ])
    scimOff.assertStatus(200)

    const summary = await runSync(owner)

    assert.containsSubset(summary, {
      reactivated: 0,
      skipped_reasons: { deactivated_in_tandem: 2 },
    })
    assert.equal((await member('ada@acme.test')).status, 'deactivated')
    assert.equal((await member('alan@acme.test')).status, 'deactivated')
    // Nor does a sign-in, though the entry is enabled and the password right.
    ;(
      await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    ).assertStatus(401)
  })

  test('members who are not linked to the directory are never touched', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant('acme')
    const { user: invitedGrace } = await tenant.member('member', 'grace@acme.test')
    const { user: bob } = await tenant.member('admin', 'bob@acme.test')
    await installPlugin(client, tenant, 'ldap', {
      settings: acmeSettings(slapd.url, { sync_creates: true, sync_max_deactivation_percent: 100 }),
    })
    const owner = as(client, tenant, tenant.ownerToken)
    const first = await runSync(owner)
    await changeDirectory(slapd, async (directory) => {
      await directory.disable(dnOf(people.grace), true)
      await directory.disable(dnOf(people.olive), true)
    })

    const second = await runSync(owner)

    assert.equal(first.skipped_reasons.unlinked_member, 2)
    assert.equal(second.deactivated, 0)
    assert.containsSubset(await memberByEmail(client, tenant, 'grace@acme.test'), {
      id: invitedGrace.id,
      full_name: 'member person',
      role: 'member',
      status: 'active',
    })
    assert.containsSubset(await memberByEmail(client, tenant, 'bob@acme.test'), {
      id: bob.id,
      status: 'active',
    })
    assert.containsSubset(await memberByEmail(client, tenant, 'owner@acme.test'), {
      role: 'owner',
      status: 'active',
    })
  })

  test('safety rule: an empty answer deactivates nobody, even when an admin confirms', async ({
    client,
    assert,
  }) => {
    const { tenant, owner } = await syncedAcme(client, slapd.url)
    ;(await owner.patch(`${PLUGIN}/settings`, { user_base_dn: EMPTY_OU })).assertStatus(200)

    const held = await runSync(owner)
    const confirmed = await runSync(owner, { confirm_deactivations: true })

    for (const summary of [held, confirmed]) {
      assert.containsSubset(summary, {
        status: 'completed',
        entries: 0,
        deactivated: 0,
        deactivations_held: 8,
        held_reason: 'empty_result',
      })
    }
    const members = await membersOf(client, tenant)
    assert.isTrue(members.every((member) => member.status === 'active'))
    const [entry] = await auditOf(client, tenant, 'ldap.sync_deactivations_held')
    assert.containsSubset(entry.metadata, { reason: 'empty_result', would_deactivate: 8 })
  })

  test('safety rule: more departures than the limit are held until an admin confirms them', async ({
    client,
    assert,
  }) => {
    // 8 linked members at the default 10 %: one departure a sync goes through unconfirmed.
    const { owner, member } = await syncedAcme(client, slapd.url)
    await changeDirectory(slapd, async (directory) => {
      await directory.remove(dnOf(people.alan))
      await directory.remove(dnOf(people.linus))
    })

    const held = await runSync(owner)

    assert.containsSubset(held, {
      deactivated: 0,
      deactivations_held: 2,
      held_reason: 'over_limit',
      deactivation_limit: 1,
    })
    assert.equal((await member('alan@acme.test')).status, 'active')

    const confirmed = await runSync(owner, { confirm_deactivations: true })

    assert.containsSubset(confirmed, { deactivated: 2, deactivations_held: 0 })
    assert.equal((await member('alan@acme.test')).status, 'deactivated')
    assert.equal((await member('linus@acme.test')).status, 'deactivated')
  })

  test('an unreachable directory, a wrong base DN or a partial answer fails the sync and changes nobody', async ({
    client,
    assert,
  }) => {
    const { tenant, owner } = await syncedAcme(client, slapd.url, {
      sync_max_deactivation_percent: 100,
    })
    const closed = `ldap://127.0.0.1:${await freePort()}`
    const attempts = [
      { url: closed },
      { url: slapd.url, user_base_dn: `ou=nope,${PEOPLE}` },
      // The server stops after 3 entries (a size limit): the rest would look gone.
      {
        user_base_dn: PEOPLE,
        bind_dn: LIMITED_SERVICE.dn,
        bind_password: LIMITED_SERVICE.password,
      },
    ]

    for (const settings of attempts) {
      ;(await owner.patch(`${PLUGIN}/settings`, settings)).assertStatus(200)
      const response = await owner.post(`${PLUGIN}/sync`)
      response.assertStatus(503)
      assert.equal(errorCode(response), 'E_LDAP_DIRECTORY_UNAVAILABLE')
    }

    const failures = await auditOf(client, tenant, 'ldap.sync_failed')
    assert.deepEqual(
      failures.map((entry) => entry.metadata!.reason),
      ['directory_unreachable', 'directory_search', 'directory_search']
    )
    assert.match(failures[1].metadata!.errors[0], /NoSuchObject/)
    assert.match(failures[2].metadata!.errors[0], /SizeLimitExceeded/)
    const members = await membersOf(client, tenant)
    assert.isTrue(members.every((member) => member.status === 'active'))
    const state = (await owner.get(`${PLUGIN}/sync`)).body().data
    assert.containsSubset(state, { running: false, last_status: 'failed' })
  })

  test('an entry renamed or moved in the directory stays the same member', async ({
    client,
    assert,
  }) => {
    const { tenant, owner, member } = await syncedAcme(client, slapd.url)
    const ada = await member('ada@acme.test')
    await changeDirectory(slapd, (directory) =>
      directory.rename(dnOf(people.ada), `uid=ada.lovelace,ou=contractors,${PEOPLE}`)
    )

    const summary = await runSync(owner)
    const response = await signIn(client, tenant, {
      username: 'ada.lovelace',
      password: people.ada.password,
    })

    assert.containsSubset(summary, { created: 0, deactivated: 0 })
    response.assertStatus(201)
    assert.equal(response.body().data.user.id, ada.id)
  })

  test('an entry deleted and created again (a new unique id) keeps its member, by email', async ({
    client,
    assert,
  }) => {
    const { tenant, owner, member } = await syncedAcme(client, slapd.url)
    const alan = await member('alan@acme.test')
    await changeDirectory(slapd, async (directory) => {
      await directory.remove(dnOf(people.alan))
      await directory.add(dnOf(people.alan), personAttributes(people.alan))
    })

    const summary = await runSync(owner)

    assert.containsSubset(summary, { created: 0, deactivated: 0, deactivations_held: 0 })
    assert.containsSubset(await member('alan@acme.test'), { id: alan.id, status: 'active' })
    const response = await signIn(client, tenant, {
      username: 'alan',
      password: people.alan.password,
    })
    response.assertStatus(201)
    assert.equal(response.body().data.user.id, alan.id)
  })

  test('only admins run the sync or read its state', async ({ client, assert }) => {
    const { tenant, owner } = await syncedAcme(client, slapd.url)
    const { token } = await tenant.member('member')
    const member = as(client, tenant, token)

    assert.equal((await member.post(`${PLUGIN}/sync`)).status(), 403)
    assert.equal((await member.get(`${PLUGIN}/sync`)).status(), 403)
    const state = (await owner.get(`${PLUGIN}/sync`)).body().data
    assert.containsSubset(state, {
      sync_enabled: true,
      sync_every_minutes: 60,
      running: false,
      last_status: 'completed',
      last_summary: { created: 8 },
    })
  })
})

test.group('ldap directory sync on the schedule', (group) => {
  needsSlapd(group)
  let slapd: SlapdServer
  group.setup(async () => {
    slapd = await startSlapd(directoryOptions())
    return () => slapd.stop()
  })
  group.each.setup(() => resetDatabase())
  group.each.setup(() => runPluginsDuringEachTest())

  test('the schedule syncs each workspace once its interval has passed, and not where sync is off', async ({
    client,
    assert,
  }) => {
    const { tenant: acme } = await acmeWithDirectory(client, slapd.url, { sync_creates: true })
    const globex = await createTenant('globex')
    await installPlugin(client, globex, 'ldap', {
      settings: acmeSettings(slapd.url, { sync_creates: true, sync_enabled: false }),
    })
    const jobs = await app.container.make(PluginJobs)

    await jobs.runSchedule('ldap', 'sync')
    await settlePluginWork()
    await jobs.runSchedule('ldap', 'sync')
    await settlePluginWork()

    const completed = await auditOf(client, acme, 'ldap.sync_completed')
    assert.lengthOf(completed, 1)
    assert.equal(completed[0].metadata!.trigger, 'schedule')
    assert.includeMembers(
      (await membersOf(client, acme)).map((member) => member.email),
      CREATED
    )
    assert.lengthOf(await membersOf(client, globex), 1)
    assert.lengthOf(await auditOf(client, globex, 'ldap.sync_completed'), 0)
  })
})
