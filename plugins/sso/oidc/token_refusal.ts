import * as oidc from 'openid-client'
import { SignInRefused } from '../verified_identity.js'

interface CodedError {
  code?: unknown
  message?: unknown
  cause?: unknown
}

/** The error and its causes, outermost first (openid-client wraps oauth4webapi's errors). */
function chainOf(error: unknown) {
  const chain: CodedError[] = []
  let current: unknown = error
  while (current && typeof current === 'object' && chain.length < 5) {
    chain.push(current as CodedError)
    current = (current as CodedError).cause
  }
  return chain
}

/** Whether the plugin's fetch refused because the admin did not grant `network`. */
export function isNetworkNotGranted(error: unknown) {
  return chainOf(error).some((link) => link.code === 'E_PLUGIN_PERMISSION')
}

/** The claim a failed JWT check was about: oauth4webapi puts it in the cause of its error. */
function failedClaim(chain: CodedError[]) {
  const found = chain.find((link) => typeof (link as { claim?: unknown }).claim === 'string') as
    { claim: string } | undefined
  return found?.claim
}

const CLAIM_REASONS: Record<string, string> = {
  nonce: 'wrong_nonce',
  aud: 'wrong_audience',
  azp: 'wrong_audience',
  iss: 'wrong_issuer',
  exp: 'expired_id_token',
}

/**
 * Why openid-client refused the authorization response or the ID token,
 * as a stable reason for the audit trail. Its error codes and the claim it
 * names are structured; the few checks that share one code (a response
 * parameter, a signature) are told apart by its message, which these
 * specs pin for openid-client 6 (tests/plugins/sso/oidc_*.spec.ts).
 */
export function tokenRefusal(error: unknown): SignInRefused {
  if (error instanceof SignInRefused) {
    return error
  }
  const chain = chainOf(error)
  const codes = chain.map((link) => link.code)
  const messages = chain
    .map((link) => (typeof link.message === 'string' ? link.message : ''))
    .join(' | ')
  const detail: Record<string, unknown> = { message: messages.slice(0, 500) }
  if (isNetworkNotGranted(error)) {
    return new SignInRefused('not_configured', 'oidc', { missing_permission: 'network' })
  }
  if (error instanceof oidc.ResponseBodyError) {
    // The token endpoint said no: a used or foreign code, a PKCE verifier
    // that does not match, a wrong client secret.
    return new SignInRefused('token_exchange_failed', 'oidc', {
      error: error.error,
      status: error.status,
    })
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    // A 401 with a challenge: the IdP did not accept the client's credentials.
    return new SignInRefused('token_exchange_failed', 'oidc', {
      error: error.cause[0]?.parameters.error,
      status: error.status,
    })
  }
  if (error instanceof oidc.AuthorizationResponseError) {
    return new SignInRefused('idp_error', 'oidc', { error: error.error })
  }
  const claim = failedClaim(chain)
  if (codes.includes('OAUTH_JWT_CLAIM_COMPARISON_FAILED') && claim && CLAIM_REASONS[claim]) {
    return new SignInRefused(CLAIM_REASONS[claim], 'oidc', { ...detail, claim })
  }
  if (codes.includes('OAUTH_JWT_TIMESTAMP_CHECK_FAILED')) {
    return new SignInRefused(claim === 'exp' ? 'expired_id_token' : 'invalid_id_token', 'oidc', {
      ...detail,
      claim,
    })
  }
  if (/"state"/.test(messages)) {
    return new SignInRefused('wrong_state', 'oidc', detail)
  }
  if (/"iss"/.test(messages)) {
    return new SignInRefused('wrong_issuer', 'oidc', detail)
  }
  if (codes.includes('OAUTH_KEY_SELECTION_FAILED') || /signature/i.test(messages)) {
    return new SignInRefused('invalid_id_token_signature', 'oidc', detail)
  }
  return new SignInRefused('token_exchange_failed', 'oidc', detail)
}
