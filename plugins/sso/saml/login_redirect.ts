import { type PluginContext, type PluginRequest, reply } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { refuseSignIn } from '../sign_in.js'
import { identityProviderOf } from './identity_provider.js'
import { PendingSamlRequests } from './pending_requests.js'
import { samlClient } from './service_provider.js'

/** Only an absolute http(s) URL is kept; sign-in later keeps it to this workspace's origins. */
function returnToOf(request: PluginRequest) {
  const asked = request.query.return_to
  if (typeof asked !== 'string' || asked.length > 2000) {
    return null
  }
  try {
    const url = new URL(asked)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null
  } catch {
    return null
  }
}

/**
 * GET /auth/saml/login: an SP-initiated sign-in. The AuthnRequest's id is
 * kept (with where to go afterwards) so that the response must answer it,
 * once; the browser goes to the IdP by the HTTP-Redirect binding.
 */
export async function redirectToIdentityProvider(
  context: PluginContext<SsoSettings>,
  request: PluginRequest
) {
  try {
    const idp = await identityProviderOf(context)
    const requests = new PendingSamlRequests(context.db, returnToOf(request))
    const client = samlClient(context, idp, requests)
    const location = await client.getAuthorizeUrlAsync('', undefined, {})
    return reply({ status: 302, headers: { 'location': location, 'cache-control': 'no-store' } })
  } catch (error) {
    return refuseSignIn(context, error, request)
  }
}
