/**
 * Who the IdP says signed in, after the protocol checked everything it
 * must (signature, audience, time, replay, nonce): what sign-in needs.
 */
export interface VerifiedIdentity {
  protocol: 'saml' | 'oidc'
  /** The IdP's entity id (SAML) or issuer (OIDC). */
  issuer: string
  /** NameID (SAML) or `sub` (OIDC): stable at the IdP. */
  subject: string
  email: string
  fullName: string | null
  groups: string[]
  /** Where the browser asked to go after signing in (validated by sign-in). */
  returnUrl: string | null
}

/** Why a sign-in was refused, as audited (`sso.login_failed`, metadata.reason). */
export class SignInRefused extends Error {
  constructor(
    readonly reason: string,
    readonly protocol: 'saml' | 'oidc',
    readonly detail: Record<string, unknown> = {}
  ) {
    super(reason)
  }
}
