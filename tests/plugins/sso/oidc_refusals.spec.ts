import { test } from '@japa/runner'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import db from '@adonisjs/lucid/services/db'
import { errorCode } from '#tests/helpers/http'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import {
  startIdentityProvider,
  type IdpAccount,
  type IdTokenTampering,
  type TestIdentityProvider,
} from './oidc/identity_provider.js'
import {
  auditOf,
  browserAt,
  callbackUrlOf,
  installOidc,
  locationOf,
  membersOf,
} from './oidc/sign_in_flow.js'

const MALLORY: IdpAccount = {
  sub: 'mallory-9',
  email: 'mallory@acme.test',
  email_verified: true,
  name: 'Mallory',
  groups: ['tandem-admins'],
}
const now = () => Math.floor(Date.now() / 1000)

/** The workspace acme with OIDC set up, Mallory known to the IdP, and a browser on acme. */
async function acmeWithIdp(
  client: ApiClient,
  idp: TestIdentityProvider,
  settings: Record<string, unknown> = {},
  permissions?: string[]
) {
  const acme = await createTenant('acme')
  await installOidc(client, acme, idp, settings, permissions)
  idp.account(MALLORY)
  return { acme, browser: browserAt(client, acme) }
}

/** A login started in `browser` and completed at the IdP: the callback URL, not yet followed. */
async function signedInAtIdp(
  browser: ReturnType<typeof browserAt>,
  idp: TestIdentityProvider,
  choice: { as: string } | { deny: true } = { as: MALLORY.sub }
) {
  const login = await browser.startLogin()
  login.assertStatus(302)
  return idp.signIn(locationOf(login), choice)
}

/** The one generic answer, the audited reason, and nobody signed in or created. */
async function assertRefused(
  assert: Assert,
  tenant: TestTenant,
  response: ApiResponse,
  reason: string
) {
  response.assertStatus(401)
  assert.equal(errorCode(response), 'E_SSO_FAILED')
  assert.isUndefined(response.header('location'))
  const failures = await auditOf(tenant, 'sso.login_failed')
  assert.deepEqual(
    failures.map((failure) => failure.metadata.reason),
    [reason]
  )
  assert.equal(failures[0].metadata.protocol, 'oidc')
  assert.deepEqual(await membersOf(tenant), [`owner@${tenant.slug}.test`])
  assert.lengthOf(await auditOf(tenant, 'auth.login'), 0)
  return failures[0].metadata
}

test.group('sso OIDC: refused sign-ins', (group) => {
  let idp: TestIdentityProvider
  group.setup(async () => {
    idp = await startIdentityProvider([callbackUrlOf('acme'), callbackUrlOf('globex')])
    return () => idp.stop()
  })
  group.each.setup(() => resetDatabase())
  group.each.setup(() => idp.reset())

  test('a tampered state matches no sign-in this workspace started', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp)
    back.searchParams.set('state', `${back.searchParams.get('state')}x`)

    const response = await browser.callback(back)

    await assertRefused(assert, acme, response, 'unknown_state')
  })

  test('a callback is accepted once: the replay is refused', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp)

    const first = await browser.callback(back)
    const replay = await browser.callback(back)

    first.assertStatus(302)
    replay.assertStatus(401)
    const failures = await auditOf(acme, 'sso.login_failed')
    assert.deepEqual(
      failures.map((failure) => failure.metadata.reason),
      ['unknown_state']
    )
    assert.lengthOf(await auditOf(acme, 'auth.login'), 1)
  })

  test('a callback followed by another browser than the one that started it is refused', async ({
    client,
    assert,
  }) => {
    // Login CSRF: Mallory sends her own callback URL to a colleague.
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp)
    const victim = browserAt(client, acme)

    const response = await victim.callback(back)

    await assertRefused(assert, acme, response, 'wrong_state')
    // The state is spent all the same: Mallory cannot use it either.
    await browser.callback(back).then((again) => again.assertStatus(401))
  })

  test('a sign-in that took longer than ten minutes is refused', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp)
    await db
      .from(`${acme.schema}.sso_pending_requests`)
      .update({ expires_at: new Date(Date.now() - 1000) })

    const response = await browser.callback(back)

    await assertRefused(assert, acme, response, 'expired_state')
  })

  test('an ID token whose {claim} the IdP got wrong is refused as {reason}')
    .with([
      {
        claim: 'nonce',
        reason: 'wrong_nonce',
        tampering: { claims: (claims) => ({ ...claims, nonce: 'a-nonce-of-another-sign-in' }) },
      },
      {
        claim: 'expiry',
        reason: 'expired_id_token',
        tampering: {
          claims: (claims) => ({ ...claims, iat: now() - 900, exp: now() - 300 }),
        },
      },
      {
        claim: 'audience',
        reason: 'wrong_audience',
        tampering: { claims: (claims) => ({ ...claims, aud: 'another-client' }) },
      },
      {
        claim: 'issuer',
        reason: 'wrong_issuer',
        tampering: { claims: (claims) => ({ ...claims, iss: 'https://idp.evil.example' }) },
      },
      {
        claim: 'signature',
        reason: 'invalid_id_token_signature',
        tampering: { foreignKey: true },
      },
    ] satisfies { claim: string; reason: string; tampering: IdTokenTampering }[])
    .run(async ({ client, assert }, { reason, tampering }) => {
      const { acme, browser } = await acmeWithIdp(client, idp)
      const back = await signedInAtIdp(browser, idp)
      idp.tampering = tampering

      const response = await browser.callback(back)

      await assertRefused(assert, acme, response, reason)
    })

  test('a code swapped into another sign-in fails its PKCE check at the IdP', async ({
    client,
    assert,
  }) => {
    // Code injection: the attacker's code with the victim's state.
    const { acme, browser } = await acmeWithIdp(client, idp)
    const victims = await signedInAtIdp(browser, idp)
    const attackers = await signedInAtIdp(browserAt(client, acme), idp)
    victims.searchParams.set('code', attackers.searchParams.get('code')!)

    const response = await browser.callback(victims)

    const failure = await assertRefused(assert, acme, response, 'token_exchange_failed')
    assert.equal(failure.error, 'invalid_grant')
  })

  test('a callback claiming another issuer (RFC 9207 iss) is refused', async ({
    client,
    assert,
  }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp)
    back.searchParams.set('iss', 'https://idp.evil.example')

    const response = await browser.callback(back)

    await assertRefused(assert, acme, response, 'wrong_issuer')
  })

  test('the member declining at the IdP is audited with its error', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const back = await signedInAtIdp(browser, idp, { deny: true })

    const response = await browser.callback(back)

    assert.equal(back.searchParams.get('error'), 'access_denied')
    const failure = await assertRefused(assert, acme, response, 'idp_error')
    assert.equal(failure.error, 'access_denied')
  })

  test('an email the IdP says is not verified is refused', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    idp.account({ ...MALLORY, email_verified: false })
    const back = await signedInAtIdp(browser, idp)

    const response = await browser.callback(back)

    await assertRefused(assert, acme, response, 'email_not_verified')
  })

  test('an identity without an email is refused', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    idp.account({ sub: MALLORY.sub, name: 'No Mail' })
    const back = await signedInAtIdp(browser, idp)

    const response = await browser.callback(back)

    await assertRefused(assert, acme, response, 'no_email')
  })

  test('a wrong client secret fails the code exchange', async ({ client, assert }) => {
    const { acme, browser } = await acmeWithIdp(client, idp, {
      oidc_client_secret: 'not-the-secret',
    })
    const back = await signedInAtIdp(browser, idp)

    const response = await browser.callback(back)

    const failure = await assertRefused(assert, acme, response, 'token_exchange_failed')
    assert.equal(failure.error, 'invalid_client')
    assert.notInclude(JSON.stringify(failure), 'not-the-secret')
  })

  test('with OIDC turned off, the login is refused before anything is sent to the IdP', async ({
    client,
    assert,
  }) => {
    const { acme, browser } = await acmeWithIdp(client, idp, { oidc_enabled: false })

    const response = await browser.startLogin()

    const failure = await assertRefused(assert, acme, response, 'not_configured')
    assert.equal(failure.missing, 'oidc_enabled')
  })

  test('without the network permission, the login is refused and says why', async ({
    client,
    assert,
  }) => {
    const { acme, browser } = await acmeWithIdp(client, idp, {}, [
      'users:read',
      'users:write',
      'sessions:write',
    ])

    const response = await browser.startLogin()

    const failure = await assertRefused(assert, acme, response, 'not_configured')
    assert.equal(failure.missing_permission, 'network')
  })

  test('an issuer that cannot be discovered refuses the login: {case}')
    .with([
      // openid-client refuses plain http before any request; only loopback is let through.
      { case: 'plain http off loopback', issuer: 'http://idp.example.test/realms/acme' },
      { case: 'nothing listening', issuer: 'http://127.0.0.1:9' },
    ])
    .run(async ({ client, assert }, { issuer }) => {
      const { acme, browser } = await acmeWithIdp(client, idp, { oidc_issuer: issuer })

      const response = await browser.startLogin()

      const failure = await assertRefused(assert, acme, response, 'discovery_failed')
      assert.equal(failure.issuer, new URL(issuer).href)
    })

  test('a callback of a sign-in started on acme is refused on globex, and still works on acme', async ({
    client,
    assert,
  }) => {
    const { acme, browser } = await acmeWithIdp(client, idp)
    const globex = await createTenant('globex')
    await installOidc(client, globex, idp)
    const back = await signedInAtIdp(browser, idp)
    const onGlobex = browserAt(client, globex)

    const refused = await onGlobex.callback(`/auth/oidc/callback${back.search}`)
    const accepted = await browser.callback(back)

    await assertRefused(assert, globex, refused, 'unknown_state')
    accepted.assertStatus(302)
    assert.lengthOf(await auditOf(acme, 'sso.login'), 1)
  })
})
