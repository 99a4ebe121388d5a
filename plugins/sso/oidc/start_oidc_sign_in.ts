import * as oidc from 'openid-client'
import { reply, type PluginContext, type PluginRequest } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { refuseSignIn } from '../sign_in.js'
import { bindingCookie } from './browser_binding.js'
import { relyingParty } from './relying_party.js'

/** How long the member has to sign in at the IdP and come back. */
const PENDING_TTL_SECONDS = 600
const MAX_RETURN_URL = 2000

type Context = PluginContext<SsoSettings>

/**
 * GET /auth/oidc/login: an authorization code request with PKCE (S256),
 * a fresh state (the key of the pending request, and the browser's
 * binding cookie) and nonce (bound into the ID token). `return_to` is kept
 * for the end of the sign-in, which only follows it within the workspace.
 */
export async function startOidcSignIn(context: Context, request: PluginRequest) {
  try {
    const party = await relyingParty(context)
    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const codeVerifier = oidc.randomPKCECodeVerifier()
    const returnTo = request.query.return_to
    const now = new Date()
    // Sign-ins started and never finished are swept by the next ones.
    await context.db
      .table('pending_requests')
      .where('protocol', 'oidc')
      .where('expires_at', '<', now)
      .delete()
    await context.db.table('pending_requests').insert({
      id: state,
      protocol: 'oidc',
      nonce,
      code_verifier: codeVerifier,
      return_url:
        typeof returnTo === 'string' && returnTo.length <= MAX_RETURN_URL ? returnTo : null,
      expires_at: new Date(now.getTime() + PENDING_TTL_SECONDS * 1000),
    })
    const location = oidc.buildAuthorizationUrl(party.config, {
      redirect_uri: party.redirectUri,
      scope: party.scope,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    })
    const secure = party.redirectUri.startsWith('https:')
    return reply({
      status: 302,
      headers: {
        'location': location.href,
        'set-cookie': bindingCookie(state, secure, PENDING_TTL_SECONDS),
        'cache-control': 'no-store',
      },
    })
  } catch (error) {
    return refuseSignIn(context, error, request)
  }
}
