import { SamlStatusError } from '@node-saml/node-saml'
import { SignInRefused } from '../verified_identity.js'
import type { PostedResponse } from './posted_response.js'

/**
 * node-saml's error messages (lib/saml.js, lib/xml.js of 5.1) → the
 * stable reasons audited in `sso.login_failed`. First match wins, so the
 * specific ones come before the catch-all signature rule.
 */
const REASONS: Array<[RegExp, string]> = [
  [/^Invalid signature: multiple assertions/, 'multiple_assertions'],
  [/InResponseTo/, 'unknown_request'],
  [/not yet valid/, 'not_yet_valid'],
  [/expired/, 'expired'],
  [/audience/i, 'wrong_audience'],
  [/^No valid subject confirmation/, 'invalid_subject_confirmation'],
  [/decryption key|EncryptedAssertion|encrypted assertion/i, 'encrypted_assertion'],
  [/^Missing SAML assertion/, 'no_assertion'],
  [/^Error parsing|multiple conditions|^Unknown SAML response|XML/, 'malformed'],
  [/signature|signed|Referenced node|ID cannot refer|transforms|ref URI/i, 'bad_signature'],
]

/**
 * Why node-saml refused a response. An assertion without any signature
 * is `unsigned` (node-saml says "Invalid signature" for both that and a
 * signature that does not verify).
 */
export function validationRefusal(error: unknown, posted: PostedResponse): SignInRefused {
  const message = error instanceof Error ? error.message : String(error)
  const detail = { detail: message.slice(0, 500) }
  if (error instanceof SamlStatusError) {
    return new SignInRefused('idp_error', 'saml', detail)
  }
  let reason = REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'invalid_response'
  if (
    reason === 'bad_signature' &&
    posted.assertions.length === 1 &&
    !posted.assertions[0].signed
  ) {
    reason = 'unsigned'
  }
  return new SignInRefused(reason, 'saml', detail)
}
