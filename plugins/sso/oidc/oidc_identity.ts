import type { IDToken, UserInfoResponse } from 'openid-client'
import { SignInRefused, type VerifiedIdentity } from '../verified_identity.js'

type Claims = IDToken | UserInfoResponse

function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value]
  }
  return Array.isArray(value) ? value.filter((group) => typeof group === 'string') : []
}

/** Whether the sign-in needs the userinfo endpoint: a claim it uses is not in the ID token. */
export function needsUserInfo(idToken: IDToken, groupsClaim: string) {
  return !idToken.email || !idToken.name || idToken[groupsClaim] === undefined
}

/**
 * The member the IdP vouched for. The ID token's claims come first (the
 * IdP signed them); the userinfo response, fetched for the access token
 * of the same sign-in and checked to be about the same `sub`, fills what
 * the ID token leaves out (many IdPs keep their ID tokens thin). The
 * email and its `email_verified` are taken from the same source: an IdP
 * that says an address is not verified is not trusted with it.
 */
export function oidcIdentity(
  issuer: string,
  idToken: IDToken,
  userInfo: UserInfoResponse | null,
  groupsClaim: string,
  returnUrl: string | null
): VerifiedIdentity {
  const sources: Claims[] = userInfo ? [idToken, userInfo] : [idToken]
  const withEmail = sources.find((claims) => typeof claims.email === 'string' && claims.email)
  if (!withEmail) {
    throw new SignInRefused('no_email', 'oidc', { subject: idToken.sub })
  }
  const email = String(withEmail.email)
  // Some IdPs send the boolean as a string.
  if (withEmail.email_verified === false || String(withEmail.email_verified) === 'false') {
    throw new SignInRefused('email_not_verified', 'oidc', { subject: idToken.sub, email })
  }
  const name = sources.map((claims) => claims.name).find((value) => typeof value === 'string')
  const groups = sources.map((claims) => claims[groupsClaim]).find((value) => value !== undefined)
  return {
    protocol: 'oidc',
    issuer,
    subject: idToken.sub,
    email,
    fullName: name?.trim() || null,
    groups: groupsOf(groups),
    returnUrl,
  }
}
