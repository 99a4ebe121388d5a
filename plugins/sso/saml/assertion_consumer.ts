import type { Profile } from '@node-saml/node-saml'
import type { PluginContext, PluginRequest } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { completeSignIn, refuseSignIn } from '../sign_in.js'
import { SignInRefused } from '../verified_identity.js'
import { checkAssertion } from './assertion_checks.js'
import { identityProviderOf } from './identity_provider.js'
import { PendingSamlRequests } from './pending_requests.js'
import { type PostedResponse, readPostedResponse } from './posted_response.js'
import { samlIdentity } from './saml_identity.js'
import { samlClient, serviceProviderOf } from './service_provider.js'
import { signedAssertionOf } from './signed_assertion.js'
import { usedAssertions } from './used_assertions.js'
import { validationRefusal } from './validation_refusal.js'

type Context = PluginContext<SsoSettings>

function formOf(body: unknown) {
  const form = (body ?? {}) as Record<string, unknown>
  const relayState = typeof form.RelayState === 'string' ? form.RelayState.slice(0, 2000) : null
  return { samlResponse: form.SAMLResponse, relayState: relayState || null }
}

/**
 * The request ids the response says it answers (the response's, and the
 * signed bearer confirmations'): each is consumed; there may be one at
 * most, and it must be a request this workspace made and has not used.
 */
async function answeredRequest(
  requests: PendingSamlRequests,
  posted: PostedResponse,
  signedIds: Array<string | null>
) {
  const ids = [...new Set([posted.inResponseTo, ...signedIds].filter((id): id is string => !!id))]
  const taken = []
  for (const id of ids) {
    taken.push(await requests.take(id))
  }
  if (ids.length > 1) {
    throw new SignInRefused('unknown_request', 'saml', { detail: 'InResponseTo values differ' })
  }
  if (ids.length === 1 && !taken[0]) {
    throw new SignInRefused('unknown_request', 'saml', { in_response_to: ids[0] })
  }
  return taken[0] ?? null
}

async function verify(context: Context, request: PluginRequest) {
  const form = formOf(request.body)
  const posted = readPostedResponse(form.samlResponse)
  const idp = await identityProviderOf(context)
  await usedAssertions.refuseSeen(
    context.db,
    idp.entityId,
    posted.assertions.map((assertion) => assertion.id)
  )
  const requests = new PendingSamlRequests(context.db)
  let profile: Profile | null
  try {
    ;({ profile } = await samlClient(context, idp, requests).validatePostResponseAsync({
      SAMLResponse: posted.encoded,
    }))
  } catch (error) {
    throw validationRefusal(error, posted)
  }
  if (!profile) {
    throw new SignInRefused('no_assertion', 'saml')
  }
  const assertion = signedAssertionOf(profile)
  const { acsUrl } = serviceProviderOf(context)
  const answered = await answeredRequest(
    requests,
    posted,
    assertion.bearerConfirmations.map((confirmation) => confirmation.inResponseTo)
  )
  try {
    checkAssertion(assertion, { idp, acsUrl, posted, now: Date.now() })
    await usedAssertions.record(
      context.db,
      idp.entityId,
      assertion.id!,
      Date.parse(assertion.issueInstant!)
    )
  } catch (error) {
    throw error instanceof SignInRefused
      ? new SignInRefused(error.reason, 'saml', { ...error.detail, subject: assertion.nameId })
      : error
  }
  // SP-initiated: where the login asked to go; IdP-initiated: the RelayState
  // the IdP was configured with (sign-in keeps it to this workspace).
  const returnUrl = answered ? answered.returnUrl : form.relayState
  return samlIdentity(context.settings, assertion, idp.entityId, returnUrl)
}

/**
 * POST /auth/saml/acs: the IdP's response, through the member's browser.
 * Signed in (302 with a one-time code) or refused (401, the reason in
 * the audit trail).
 */
export async function consumeAssertion(context: Context, request: PluginRequest) {
  try {
    const identity = await verify(context, request)
    return await completeSignIn(context, identity, request)
  } catch (error) {
    return refuseSignIn(context, error, request)
  }
}
