import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEvent from '#audit/models/audit_event'
import User from '#identity/models/user'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import {
  exchangeCode,
  installSso,
  postToAcs,
  refusals,
  serviceProviderOf,
} from './saml/sso_workspace.js'
import {
  editedAfterSigning,
  hiddenInSignatureObject,
  signatureOnForged,
  signedNestedInForged,
  withoutSignatures,
  withSiblingAssertion,
} from './saml/tampering.js'
import { type AssertionSpec, newId, TestIdp } from './saml/test_idp.js'

let idp: TestIdp
let folder: string

/**
 * Mallory is a legitimate user of the IdP (she holds a validly signed
 * response of her own); the owner is who she wants to be.
 */
const mallory = (overrides: Partial<AssertionSpec> = {}): AssertionSpec => ({
  sp: serviceProviderOf('acme'),
  nameId: 'mallory@acme.test',
  attributes: { email: ['mallory@acme.test'], displayName: ['Mallory'] },
  ...overrides,
})
const asOwner = (overrides: Partial<AssertionSpec> = {}) =>
  idp.assertion(
    mallory({
      nameId: 'owner@acme.test',
      attributes: { email: ['owner@acme.test'], displayName: ['Olive'] },
      ...overrides,
    })
  )

async function acmeTrustingTestIdp(client: ApiClient, settings: Record<string, unknown> = {}) {
  const acme = await createTenant('acme')
  await installSso(client, acme, { saml_idp_metadata_xml: idp.metadataXml(), ...settings })
  return acme
}

/** Nobody was signed in: no sso.login, no auth.login, no code handed out. */
async function assertNobodySignedIn(tenant: TestTenant, assert: any) {
  const logins = await tenant.run(() =>
    AuditEvent.query().whereIn('action', ['sso.login', 'auth.login'])
  )
  assert.lengthOf(logins, 0)
  const mallories = await tenant.run(() => User.query().where('email', 'like', 'mallory%'))
  assert.lengthOf(mallories, 0)
}

test.group('SSO SAML: forged and altered responses are refused', (group) => {
  group.setup(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tandem-saml-idp-'))
    idp = await TestIdp.create(folder)
    return () => rm(folder, { recursive: true, force: true })
  })
  group.each.setup(() => resetDatabase())

  test('a response of the test IdP, as it signs them, is accepted (the baseline)', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client)

    const response = await postToAcs(client, acme, idp.signedResponse(mallory()))

    response.assertStatus(302)
    const session = await exchangeCode(client, acme, response.header('location')!)
    assert.equal(session.member.email, 'mallory@acme.test')
  })

  const refusedCases: Array<{ name: string; reason: string; forge: () => string }> = [
    {
      name: 'an unsigned assertion',
      reason: 'unsigned',
      forge: () => idp.unsignedResponse(mallory({ nameId: 'owner@acme.test' })),
    },
    {
      name: 'a signed response with its signature stripped',
      reason: 'unsigned',
      forge: () => withoutSignatures(idp.signedResponse(mallory())),
    },
    {
      name: 'signature wrapping: an unsigned assertion beside the signed one',
      reason: 'multiple_assertions',
      forge: () => withSiblingAssertion(idp.signedResponse(mallory()), asOwner()),
    },
    {
      name: 'signature wrapping: the signed assertion hidden inside a forged one (XSW4)',
      reason: 'unsigned',
      forge: () => signedNestedInForged(idp.signedResponse(mallory()), asOwner()),
    },
    {
      name: 'signature wrapping: the signature moved to a forged assertion, the signed one in Extensions (XSW7)',
      reason: 'bad_signature',
      forge: () => signatureOnForged(idp.signedResponse(mallory()), asOwner()),
    },
    {
      name: 'signature wrapping: a forged assertion with the signed one’s ID and signature',
      reason: 'bad_signature',
      forge: () => signatureOnForged(idp.signedResponse(mallory()), asOwner(), { sameId: true }),
    },
    {
      name: 'the NameID changed after signing',
      reason: 'bad_signature',
      forge: () =>
        editedAfterSigning(
          idp.signedResponse(mallory()),
          '>mallory@acme.test</saml:NameID>',
          '>owner@acme.test</saml:NameID>'
        ),
    },
    {
      name: 'an attribute changed after signing',
      reason: 'bad_signature',
      forge: () =>
        editedAfterSigning(
          idp.signedResponse(mallory()),
          '<saml:AttributeValue>mallory@acme.test</saml:AttributeValue>',
          '<saml:AttributeValue>owner@acme.test</saml:AttributeValue>'
        ),
    },
    {
      name: 'an assertion for another audience',
      reason: 'wrong_audience',
      forge: () => idp.signedResponse(mallory({ audience: 'https://other-app.example.test/saml' })),
    },
    {
      name: 'an expired assertion',
      reason: 'expired',
      forge: () =>
        idp.signedResponse(
          mallory({
            issuedAt: new Date(Date.now() - 20 * 60_000),
            notOnOrAfter: new Date(Date.now() - 10 * 60_000),
          })
        ),
    },
    {
      name: 'an assertion within its NotOnOrAfter but issued too long ago',
      reason: 'expired',
      forge: () =>
        idp.signedResponse(
          mallory({
            issuedAt: new Date(Date.now() - 30 * 60_000),
            notOnOrAfter: new Date(Date.now() + 60 * 60_000),
          })
        ),
    },
    {
      name: 'an assertion not yet valid',
      reason: 'not_yet_valid',
      forge: () => idp.signedResponse(mallory({ notBefore: new Date(Date.now() + 10 * 60_000) })),
    },
    {
      name: 'an assertion from another issuer signed with the same key',
      reason: 'wrong_issuer',
      forge: () => idp.signedResponse(mallory({ issuer: 'https://evil.example.test/saml' })),
    },
    {
      name: 'a bearer confirmation for another recipient',
      reason: 'wrong_recipient',
      forge: () => idp.signedResponse(mallory({ recipient: 'https://other-app.example.test/acs' })),
    },
    {
      name: 'a response addressed to another destination',
      reason: 'wrong_destination',
      forge: () =>
        idp.signedResponse(mallory({ destination: 'https://other-app.example.test/acs' })),
    },
    {
      name: 'a response to a request this workspace never made',
      reason: 'unknown_request',
      forge: () => idp.signedResponse(mallory({ inResponseTo: newId() })),
    },
    {
      name: 'an unknown request id only in the signed confirmation (response InResponseTo stripped)',
      reason: 'unknown_request',
      forge: () => idp.signedResponse(mallory({ confirmationInResponseTo: newId() })),
    },
    {
      name: 'a transient NameID (no stable subject to link)',
      reason: 'transient_name_id',
      forge: () =>
        idp.signedResponse(
          mallory({ nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' })
        ),
    },
    {
      name: 'no email anywhere in the assertion',
      reason: 'no_email',
      forge: () =>
        idp.signedResponse(
          mallory({
            nameId: 'u-4711',
            nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
            attributes: {},
          })
        ),
    },
    {
      name: 'a signed assertion in a response whose status is not Success',
      reason: 'idp_error',
      forge: () =>
        editedAfterSigning(idp.signedResponse(mallory()), 'status:Success', 'status:Responder'),
    },
    {
      name: 'a response that is not XML',
      reason: 'malformed',
      forge: () => 'this is not a SAML response',
    },
  ]

  for (const { name, reason, forge } of refusedCases) {
    test(`${name} is refused (${reason})`, async ({ client, assert }) => {
      const acme = await acmeTrustingTestIdp(client)

      const response = await postToAcs(client, acme, forge())

      response.assertStatus(401)
      assert.deepEqual(response.body(), {
        errors: [{ code: 'E_SSO_FAILED', message: 'Single sign-on failed' }],
      })
      assert.deepEqual(await refusals(acme), [reason])
      await assertNobodySignedIn(acme, assert)
    })
  }

  test('a valid IdP-initiated response is accepted once, then refused as replayed', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client)
    const response = idp.signedResponse(mallory())

    const first = await postToAcs(client, acme, response)
    const second = await postToAcs(client, acme, response)

    assert.deepEqual([first.status(), second.status()], [302, 401])
    assert.deepEqual(await refusals(acme), ['replayed'])
  })

  test('an assertion made for acme and posted to globex is refused there', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client)
    const globex = await createTenant('globex')
    await installSso(client, globex, { saml_idp_metadata_xml: idp.metadataXml() })
    const forAcme = idp.signedResponse(mallory())

    const onGlobex = await postToAcs(client, globex, forAcme)
    const onAcme = await postToAcs(client, acme, forAcme)

    assert.deepEqual([onGlobex.status(), onAcme.status()], [401, 302])
    assert.deepEqual(await refusals(globex), ['wrong_audience'])
    await assertNobodySignedIn(globex, assert)
  })

  test('a comment injected into the NameID never truncates it: the whole signed text is the identity', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client)
    await acme.member('member', 'ada@acme.test')
    // Mallory registered ada@acme.test.evil.com at the IdP; the comment is
    // outside what c14n digests, so the signature still verifies.
    const signed = idp.signedResponse(
      mallory({ nameId: 'ada@acme.test.evil.com', attributes: { displayName: ['Mallory'] } })
    )
    const injected = editedAfterSigning(
      signed,
      '>ada@acme.test.evil.com<',
      '>ada@acme.test<!---->.evil.com<'
    )

    const response = await postToAcs(client, acme, injected)

    response.assertStatus(302)
    const session = await exchangeCode(client, acme, response.header('location')!)
    assert.equal(session.member.email, 'ada@acme.test.evil.com')
    const login = await acme.run(() =>
      AuditEvent.query().where('action', 'sso.login').firstOrFail()
    )
    assert.equal(login.metadata.subject, 'ada@acme.test.evil.com')
  })

  test('with allowed domains, the comment-injected NameID is refused for its real domain', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client, { allowed_email_domains: ['acme.test'] })
    await acme.member('member', 'ada@acme.test')
    const injected = editedAfterSigning(
      idp.signedResponse(mallory({ nameId: 'ada@acme.test.evil.com', attributes: {} })),
      '>ada@acme.test.evil.com<',
      '>ada@acme.test<!---->.evil.com<'
    )

    const response = await postToAcs(client, acme, injected)

    response.assertStatus(401)
    const [failure] = await acme.run(() => AuditEvent.query().where('action', 'sso.login_failed'))
    assert.include(failure.metadata, {
      reason: 'email_domain_not_allowed',
      email: 'ada@acme.test.evil.com',
    })
    await assertNobodySignedIn(acme, assert)
  })

  test('a NameID hidden in the signature’s ds:Object is never read: the signed one is', async ({
    client,
    assert,
  }) => {
    const acme = await acmeTrustingTestIdp(client)
    const hidden =
      '<saml:Subject xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:NameID>owner@acme.test</saml:NameID></saml:Subject>'
    const forged = hiddenInSignatureObject(idp.signedResponse(mallory()), hidden)

    const response = await postToAcs(client, acme, forged)

    response.assertStatus(302)
    const session = await exchangeCode(client, acme, response.header('location')!)
    assert.equal(session.member.email, 'mallory@acme.test')
    assert.notEqual(session.member.id, acme.owner.id)
  })
})
