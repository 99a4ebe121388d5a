import { SignInRefused } from '../verified_identity.js'
import type { IdentityProvider } from './identity_provider.js'
import type { PostedResponse } from './posted_response.js'
import { CLOCK_SKEW_MS, MAX_ASSERTION_AGE_MS } from './service_provider.js'
import type { SignedAssertion, SubjectConfirmation } from './signed_assertion.js'

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success'

const refuse = (reason: string, detail: Record<string, unknown> = {}) =>
  new SignInRefused(reason, 'saml', detail)

function instant(value: string | null) {
  const ms = value ? Date.parse(value) : Number.NaN
  return Number.isNaN(ms) ? null : ms
}

/** Refuses a time window that is over or has not begun, with the skew allowed. */
function checkWindow(now: number, notBefore: string | null, notOnOrAfter: string | null) {
  const start = instant(notBefore)
  const end = instant(notOnOrAfter)
  if (start !== null && now + CLOCK_SKEW_MS < start) {
    throw refuse('not_yet_valid', { not_before: notBefore })
  }
  if (end === null) {
    throw refuse('malformed', { detail: 'The bearer confirmation has no NotOnOrAfter' })
  }
  if (now - CLOCK_SKEW_MS >= end) {
    throw refuse('expired', { not_on_or_after: notOnOrAfter })
  }
}

/**
 * The SAML 2.0 web browser SSO profile (saml-profiles §4.1.4.3) checks
 * node-saml leaves to its caller, on the signed assertion: the issuer is
 * this workspace's IdP (a key shared by several issuers, as Entra ID's
 * is by every tenant, signs for all of them); the assertion is fresh; a
 * bearer confirmation names this ACS as recipient and is in its time
 * window; the response was addressed here and reports success; its
 * NameID is stable.
 */
export function checkAssertion(
  assertion: SignedAssertion,
  expected: { idp: IdentityProvider; acsUrl: string; posted: PostedResponse; now: number }
) {
  const { idp, acsUrl, posted, now } = expected
  // node-saml reads a signed assertion whatever the status says.
  if (posted.status !== SUCCESS) {
    throw refuse('idp_error', { status: posted.status })
  }
  if (assertion.issuer !== idp.entityId) {
    throw refuse('wrong_issuer', { issuer: assertion.issuer })
  }
  if (!assertion.id) {
    throw refuse('malformed', { detail: 'The assertion has no ID' })
  }
  const issued = instant(assertion.issueInstant)
  if (issued === null) {
    throw refuse('malformed', { detail: 'The assertion has no IssueInstant' })
  }
  if (issued > now + CLOCK_SKEW_MS) {
    throw refuse('not_yet_valid', { issue_instant: assertion.issueInstant })
  }
  if (now - CLOCK_SKEW_MS > issued + MAX_ASSERTION_AGE_MS) {
    throw refuse('expired', { issue_instant: assertion.issueInstant })
  }
  if (posted.destination !== null && posted.destination !== acsUrl) {
    throw refuse('wrong_destination', { destination: posted.destination })
  }
  const forUs = assertion.bearerConfirmations.filter(
    (confirmation) => confirmation.recipient === acsUrl
  )
  if (forUs.length === 0) {
    throw refuse('wrong_recipient', {
      recipients: assertion.bearerConfirmations.map((confirmation) => confirmation.recipient),
    })
  }
  const inWindow = (confirmation: SubjectConfirmation) => {
    try {
      checkWindow(now, confirmation.notBefore, confirmation.notOnOrAfter)
      return true
    } catch {
      return false
    }
  }
  if (!forUs.some(inWindow)) {
    // Throws the first one's reason.
    checkWindow(now, forUs[0].notBefore, forUs[0].notOnOrAfter)
  }
  if (!assertion.nameId || assertion.nameId.trim() === '') {
    throw refuse('no_subject')
  }
  if (assertion.nameIdFormat === TRANSIENT) {
    throw refuse('transient_name_id', {
      detail: 'Configure the IdP to send a persistent or email NameID',
    })
  }
}
