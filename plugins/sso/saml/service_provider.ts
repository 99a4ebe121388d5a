import { generateServiceProviderMetadata, SAML, ValidateInResponseTo } from '@node-saml/node-saml'
import type { PluginContext } from '#plugin-api'
import type { IdentityProvider } from './identity_provider.js'
import type { PendingSamlRequests } from './pending_requests.js'
import { PENDING_REQUEST_TTL_MS } from './pending_requests.js'

/** Clocks of the IdP and of Tandem may differ this much. */
export const CLOCK_SKEW_MS = 60_000
/** An assertion is accepted at most this long after the IdP issued it (a POST takes seconds). */
export const MAX_ASSERTION_AGE_MS = 10 * 60 * 1000

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'

/**
 * This workspace as a SAML service provider. Both URLs are the
 * workspace's own, so an assertion made for one workspace (its audience
 * and recipient) is refused by every other.
 */
export function serviceProviderOf(context: PluginContext<any>) {
  return {
    entityId: context.url('/auth/saml/metadata'),
    acsUrl: context.url('/auth/saml/acs'),
  }
}

/**
 * node-saml configured for one workspace and its IdP. What is required
 * (README: What is checked): a signed assertion, whatever the response
 * (`wantAssertionsSigned`; the response signature is optional since
 * Entra ID and SimpleSAMLphp sign the assertion only, or both); this SP
 * as the audience; time conditions within a minute of skew and at most
 * ten minutes after issue; the InResponseTo of an SP-initiated response
 * naming a request we made and have not used (`ifPresent`, so
 * IdP-initiated sign-ins remain possible: their replay is stopped by the
 * one-time assertion ids instead). Requests are not signed (no SP key)
 * and ask for no particular authentication context, so IdPs with MFA or
 * passwordless policies answer as configured.
 */
export function samlClient(
  context: PluginContext<any>,
  idp: IdentityProvider,
  requests: PendingSamlRequests
) {
  const sp = serviceProviderOf(context)
  return new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    audience: sp.entityId,
    entryPoint: idp.ssoUrl,
    idpCert: idp.certificates,
    idpIssuer: idp.entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: PENDING_REQUEST_TTL_MS,
    cacheProvider: requests,
    // The IdP picks the NameID format it was configured with (README: IdP setup).
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    authnRequestBinding: 'HTTP-Redirect',
  })
}

/** The SP metadata an admin gives the IdP (GET /auth/saml/metadata). */
export function serviceProviderMetadata(context: PluginContext<any>) {
  const sp = serviceProviderOf(context)
  return generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: EMAIL_NAME_ID,
    wantAssertionsSigned: true,
  })
}
