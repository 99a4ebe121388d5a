/* eslint-disable @unicorn/no-await-expression-member -- these specs read an awaited response inline, one request per line */
import { test } from '@japa/runner'
import { resetDatabase } from '#tests/helpers/database'
import { errorCode } from '#tests/helpers/http'
import { installPlugin } from '#tests/helpers/plugins'
import { createTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import {
  acmeSettings,
  dnOf,
  EMPTY_OU,
  GLOBEX_PEOPLE,
  groupDn,
  people,
  personAttributes,
  SERVICE,
} from './directory_seed.js'
import { directoryOptions } from './directory_seed.js'
import { changeDirectory } from './directory_changes.js'
import {
  acmeWithDirectory,
  auditOf,
  memberByEmail,
  membersOf,
  PLUGIN,
  signIn,
} from './ldap_helpers.js'
import { freePort, needsSlapd, type SlapdServer, startSlapd } from './slapd.js'

test.group('ldap sign-in over HTTP, against OpenLDAP', (group) => {
  needsSlapd(group)
  let slapd: SlapdServer
  group.setup(async () => {
    slapd = await startSlapd(directoryOptions())
    return () => slapd.stop()
  })
  group.each.setup(() => resetDatabase())

  test('a directory user signs in and gets a Tandem token that works on GET /me', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)

    const response = await signIn(client, tenant, {
      username: 'ada',
      password: people.ada.password,
    })

    response.assertStatus(201)
    const session = response.body().data
    assert.equal(session.type, 'bearer')
    assert.containsSubset(session.user, {
      email: 'ada@acme.test',
      full_name: 'Ada Lovelace',
      status: 'active',
    })
    const me = await as(client, tenant, session.token).get('/me')
    me.assertStatus(200)
    assert.equal(me.body().data.id, session.user.id)
    const [login] = await auditOf(client, tenant, 'auth.login')
    assert.containsSubset(login.metadata, { method: 'ldap', plugin: 'ldap' })
    const [ldapLogin] = await auditOf(client, tenant, 'ldap.login')
    assert.equal(ldapLogin.metadata!.dn, dnOf(people.ada))
    assert.equal(ldapLogin.target!.id, String(session.user.id))
  })

  test('a wrong password, an unknown user and an entry without email get the same 401, audited with the real reason', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)

    const wrong = await signIn(client, tenant, { username: 'ada', password: 'not-her-password' })
    const unknown = await signIn(client, tenant, { username: 'nobody', password: 'whatever' })
    const noMail = await signIn(client, tenant, {
      username: 'nomail',
      password: people.nomail.password,
    })

    for (const response of [wrong, unknown, noMail]) {
      response.assertStatus(401)
    }
    assert.deepEqual(unknown.body(), wrong.body())
    assert.deepEqual(noMail.body(), wrong.body())
    assert.equal(errorCode(wrong), 'E_INVALID_CREDENTIALS')
    const failures = await auditOf(client, tenant, 'ldap.login_failed')
    assert.deepEqual(
      failures.map((entry) => [entry.metadata!.username, entry.metadata!.reason]),
      [
        ['ada', 'wrong_password'],
        ['nobody', 'no_such_user'],
        ['nomail', 'no_email'],
      ]
    )
    assert.equal(failures[0].metadata!.dn, dnOf(people.ada))
    assert.notInclude(JSON.stringify(failures), 'not-her-password')
    assert.isUndefined(await memberByEmail(client, tenant, 'ada@acme.test'))
  })

  test('an empty or blank password is refused before any bind reaches the directory', async ({
    client,
    assert,
  }) => {
    const { tenant, owner } = await acmeWithDirectory(client, slapd.url)
    const bindsBefore = slapd.binds().length

    const empty = await signIn(client, tenant, { username: 'ada', password: '' })
    const blank = await signIn(client, tenant, { username: 'ada', password: '   ' })
    const missing = await signIn(client, tenant, { username: 'ada' })

    for (const response of [empty, blank, missing]) {
      response.assertStatus(422)
      assert.equal(errorCode(response), 'E_LDAP_EMPTY_PASSWORD')
    }
    assert.lengthOf(slapd.binds().slice(bindsBefore), 0, 'slapd saw a BIND')

    // With no directory listening at all, the answer is the same: nothing was attempted.
    const closed = `ldap://127.0.0.1:${await freePort()}`
    ;(await owner.patch(`${PLUGIN}/settings`, { url: closed })).assertStatus(200)
    const offline = await signIn(client, tenant, { username: 'ada', password: '' })
    offline.assertStatus(422)
    assert.equal(errorCode(offline), 'E_LDAP_EMPTY_PASSWORD')
  })

  test('a disabled entry cannot sign in, even with its right password', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)

    const response = await signIn(client, tenant, {
      username: 'eve',
      password: people.eve.password,
    })

    response.assertStatus(401)
    assert.equal(errorCode(response), 'E_INVALID_CREDENTIALS')
    const [failure] = await auditOf(client, tenant, 'ldap.login_failed')
    assert.equal(failure.metadata!.reason, 'disabled')
    assert.isUndefined(await memberByEmail(client, tenant, 'eve@acme.test'))
  })

  test('group membership gives the role, the highest mapped group wins, and owners keep theirs', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)

    const roles: Record<string, string> = {}
    for (const person of [people.ada, people.alan, people.linus, people.olive, people.jose]) {
      const response = await signIn(client, tenant, {
        username: person.uid,
        password: person.password,
      })
      response.assertStatus(201)
      roles[person.uid] = response.body().data.user.role
    }

    // ada: admins + staff; alan: staff; linus: contractors; josé: no group (default_role);
    // olive has the owner's email and is in contractors, but an owner stays owner.
    assert.deepEqual(roles, {
      ada: 'admin',
      alan: 'member',
      linus: 'guest',
      olive: 'owner',
      josé: 'member',
    })
    const owner = await memberByEmail(client, tenant, 'owner@acme.test')
    assert.equal(owner!.role, 'owner')
  })

  test('the directory decides roles at each sign-in, unless an admin changed the role in Tandem', async ({
    client,
    assert,
  }) => {
    const { tenant, owner } = await acmeWithDirectory(client, slapd.url)
    const signInAs = async (person: { uid: string; password: string }) => {
      const response = await signIn(client, tenant, {
        username: person.uid,
        password: person.password,
      })
      response.assertStatus(201)
      return response.body().data.user
    }
    const ada = await signInAs(people.ada)
    const alan = await signInAs(people.alan)
    assert.deepEqual([ada.role, alan.role], ['admin', 'member'])

    try {
      await changeDirectory(slapd, (directory) =>
        directory.leaveGroup(groupDn('admins'), dnOf(people.ada))
      )
      ;(await owner.patch(`/members/${alan.id}`, { role: 'admin' })).assertStatus(200)

      // Ada left the admins group: demoted. Alan was promoted by hand: that stands.
      assert.equal((await signInAs(people.ada)).role, 'member')
      assert.equal((await signInAs(people.alan)).role, 'admin')
    } finally {
      await slapd.reset()
    }
  })

  test('injection attempts in the user name never match another entry', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)
    const attempts = [
      '*',
      'a*',
      'ada)(uid=*',
      '*)(|(uid=*',
      'ada)(|(objectClass=*)',
      '*)(uid=ada',
      'ada\u0000',
      'ada\\',
      '\\2a',
    ]

    for (const username of attempts) {
      const response = await signIn(client, tenant, { username, password: people.ada.password })
      response.assertStatus(401)
    }

    // Had any of them reached an entry, the reason would be wrong_password or ambiguous.
    const failures = await auditOf(client, tenant, 'ldap.login_failed')
    assert.deepEqual(
      failures.map((entry) => entry.metadata!.reason),
      attempts.map(() => 'no_such_user')
    )
    assert.lengthOf(await membersOf(client, tenant), 1)
    // And the user names that do contain filter syntax or non-ASCII match exactly themselves.
    const star = await signIn(client, tenant, {
      username: people.star.uid,
      password: people.star.password,
    })
    star.assertStatus(201)
    assert.equal(star.body().data.user.email, 'star@acme.test')
    const jose = await signIn(client, tenant, {
      username: people.jose.uid,
      password: people.jose.password,
    })
    jose.assertStatus(201)
    assert.equal(jose.body().data.user.full_name, 'José Núñez')
  })

  test('an entry deleted and created again (a new unique id) signs in as the same member; another entry with that email does not', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)
    const first = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    const ada = first.body().data.user
    try {
      await changeDirectory(slapd, async (directory) => {
        await directory.remove(dnOf(people.ada))
        await directory.add(dnOf(people.ada), personAttributes(people.ada))
        const impostor = { ...people.ada, uid: 'ada2', cn: 'Not Ada', password: 'ada2-password' }
        await directory.add(dnOf(impostor), personAttributes(impostor))
      })

      const again = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
      const impostor = await signIn(client, tenant, { username: 'ada2', password: 'ada2-password' })

      again.assertStatus(201)
      assert.equal(again.body().data.user.id, ada.id)
      impostor.assertStatus(401)
      const [failure] = await auditOf(client, tenant, 'ldap.login_failed')
      assert.equal(failure.metadata!.reason, 'email_conflict')
    } finally {
      await slapd.reset()
    }
  })

  test('a user name that finds two entries is refused', async ({ client, assert }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)

    const response = await signIn(client, tenant, {
      username: 'sam',
      password: people.sam.password,
    })

    response.assertStatus(401)
    const [failure] = await auditOf(client, tenant, 'ldap.login_failed')
    assert.equal(failure.metadata!.reason, 'ambiguous')
  })

  test('ten failures for a user name from one address block it in that workspace, the right password included', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url)
    const globex = await createTenant('globex')
    await installPlugin(client, globex, 'ldap', { settings: acmeSettings(slapd.url) })

    for (let attempt = 0; attempt < 10; attempt++) {
      ;(
        await signIn(client, tenant, { username: 'ada', password: `guess-${attempt}` })
      ).assertStatus(401)
    }
    const blocked = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    const other = await signIn(client, tenant, { username: 'alan', password: people.alan.password })

    blocked.assertStatus(429)
    assert.equal(errorCode(blocked), 'E_TOO_MANY_ATTEMPTS')
    other.assertStatus(201)
    // Counters are per workspace: the same user name and address are fine on globex.
    ;(
      await signIn(client, globex, { username: 'ada', password: people.ada.password })
    ).assertStatus(201)
    const failures = await auditOf(client, tenant, 'ldap.login_failed')
    assert.equal(failures.at(-1)!.metadata!.reason, 'throttled')
  })

  test('a deactivated member cannot sign in, and signing in does not reactivate them', async ({
    client,
    assert,
  }) => {
    const { tenant, owner } = await acmeWithDirectory(client, slapd.url)
    const first = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    const ada = first.body().data.user
    ;(await owner.post(`/members/${ada.id}/deactivate`)).assertStatus(200)

    const response = await signIn(client, tenant, {
      username: 'ada',
      password: people.ada.password,
    })

    response.assertStatus(401)
    assert.equal(errorCode(response), 'E_INVALID_CREDENTIALS')
    assert.equal((await as(client, tenant, first.body().data.token).get('/me')).status(), 401)
    const [failure] = await auditOf(client, tenant, 'ldap.login_failed')
    assert.containsSubset(failure, {
      target: { type: 'user', id: String(ada.id) },
      metadata: { reason: 'deactivated' },
    })
    assert.equal((await memberByEmail(client, tenant, 'ada@acme.test'))!.status, 'deactivated')
  })

  test('without just-in-time creation only existing members sign in, and are linked by email', async ({
    client,
    assert,
  }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url, { jit: false })
    const { user: invited } = await tenant.member('member', 'alan@acme.test')

    const unknown = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    const existing = await signIn(client, tenant, {
      username: 'alan',
      password: people.alan.password,
    })

    unknown.assertStatus(401)
    existing.assertStatus(201)
    assert.equal(existing.body().data.user.id, invited.id)
    // The directory's name replaces the one given at invitation.
    assert.equal(existing.body().data.user.full_name, 'Alan Turing')
    const [failure] = await auditOf(client, tenant, 'ldap.login_failed')
    assert.equal(failure.metadata!.reason, 'not_provisioned')
  })

  test('a directory that cannot be reached answers 503, is audited, and counts no failure', async ({
    client,
    assert,
  }) => {
    const closed = `ldap://127.0.0.1:${await freePort()}`
    const { tenant, owner } = await acmeWithDirectory(client, closed, { timeout_seconds: 2 })

    const down = await signIn(client, tenant, { username: 'ada', password: people.ada.password })
    ;(
      await owner.patch(`${PLUGIN}/settings`, { url: slapd.url, bind_password: 'wrong' })
    ).assertStatus(200)
    const refusedService = await signIn(client, tenant, {
      username: 'ada',
      password: people.ada.password,
    })

    for (const response of [down, refusedService]) {
      response.assertStatus(503)
      assert.equal(errorCode(response), 'E_LDAP_DIRECTORY_UNAVAILABLE')
    }
    const failures = await auditOf(client, tenant, 'ldap.login_failed')
    assert.deepEqual(
      failures.map((entry) => entry.metadata!.reason),
      ['directory_unreachable', 'directory_service_bind']
    )
    const plugin = (await owner.get(PLUGIN)).body().data
    assert.equal(plugin.installation.consecutive_failures, 0)
  })

  test('until the directory is configured, sign-in answers 503 E_LDAP_NOT_CONFIGURED', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant('acme')
    await installPlugin(client, tenant, 'ldap')

    const response = await signIn(client, tenant, { username: 'ada', password: 'x' })

    response.assertStatus(503)
    assert.equal(errorCode(response), 'E_LDAP_NOT_CONFIGURED')
  })

  test('without the network permission the plugin does not reach the directory', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant('acme')
    await installPlugin(client, tenant, 'ldap', {
      permissions: ['users:read', 'users:write', 'sessions:write'],
      settings: acmeSettings(slapd.url),
    })
    const bindsBefore = slapd.binds().length

    const response = await signIn(client, tenant, {
      username: 'ada',
      password: people.ada.password,
    })

    response.assertStatus(403)
    assert.equal(errorCode(response), 'E_PLUGIN_PERMISSION')
    assert.lengthOf(slapd.binds().slice(bindsBefore), 0)
  })

  test('each workspace signs in against its own directory settings only', async ({
    client,
    assert,
  }) => {
    const { tenant: acme } = await acmeWithDirectory(client, slapd.url)
    const globex = await createTenant('globex')
    const initech = await createTenant('initech')
    await installPlugin(client, globex, 'ldap', {
      settings: acmeSettings(slapd.url, { user_base_dn: GLOBEX_PEOPLE, role_mapping: [] }),
    })

    const adaOnGlobex = await signIn(client, globex, {
      username: 'ada',
      password: people.ada.password,
    })
    const garyOnGlobex = await signIn(client, globex, {
      username: 'gary',
      password: 'gary-password',
    })
    const adaOnInitech = await signIn(client, initech, {
      username: 'ada',
      password: people.ada.password,
    })
    const adaOnAcme = await signIn(client, acme, { username: 'ada', password: people.ada.password })

    adaOnGlobex.assertStatus(401)
    garyOnGlobex.assertStatus(201)
    adaOnInitech.assertStatus(404)
    assert.equal(errorCode(adaOnInitech), 'E_PLUGIN_NOT_INSTALLED')
    adaOnAcme.assertStatus(201)
    // A token from one workspace does nothing on another.
    const garyToken = garyOnGlobex.body().data.token
    assert.equal((await as(client, acme, garyToken).get('/me')).status(), 401)
    assert.isUndefined(await memberByEmail(client, acme, 'gary@globex.test'))
    assert.lengthOf(await auditOf(client, acme, 'ldap.login_failed'), 0)
  })

  test('settings are checked at install: filters, DNs, TLS and the service account', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant('acme')
    const owner = as(client, tenant, tenant.ownerToken)
    const refused = async (settings: Record<string, unknown>) => {
      const response = await owner.post(`${PLUGIN}/install`, { settings })
      response.assertStatus(422)
      return response.body().errors.map((error: { field: string }) => error.field)
    }

    assert.deepEqual(await refused({ user_filter: '(uid=ada)' }), ['user_filter'])
    assert.deepEqual(await refused({ user_filter: '(&(uid={{username}})' }), ['user_filter'])
    assert.deepEqual(await refused({ group_filter: '(member={{nope}})' }), ['group_filter'])
    assert.deepEqual(await refused({ user_base_dn: 'people, acme' }), ['user_base_dn'])
    assert.deepEqual(await refused({ url: 'http://ldap.acme.test' }), ['url'])
    assert.deepEqual(await refused({ url: 'ldaps://ldap.acme.test', start_tls: true }), [
      'start_tls',
    ])
    assert.deepEqual(await refused({ bind_dn: SERVICE.dn }), ['bind_password'])
    assert.deepEqual(
      await refused({ role_mapping: [{ group_dn: groupDn('admins'), role: 'admin' }] }),
      ['group_base_dn']
    )

    await installPlugin(client, tenant, 'ldap', { settings: acmeSettings(slapd.url) })
    const shown = (await owner.get(PLUGIN)).body().data
    assert.equal(shown.installation.settings.bind_password, '********')
    assert.notInclude(JSON.stringify(shown), SERVICE.password)
  })

  test('an empty organizational unit as the user base finds nobody', async ({ client }) => {
    const { tenant } = await acmeWithDirectory(client, slapd.url, { user_base_dn: EMPTY_OU })

    const response = await signIn(client, tenant, {
      username: 'ada',
      password: people.ada.password,
    })

    response.assertStatus(401)
  })
})
