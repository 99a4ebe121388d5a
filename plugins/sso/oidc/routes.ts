import type { PluginRoute } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { finishOidcSignIn } from './finish_oidc_sign_in.js'
import { startOidcSignIn } from './start_oidc_sign_in.js'

/** OpenID Connect relying party routes (mounted at /auth/oidc). */
export const oidcRoutes: PluginRoute<SsoSettings>[] = [
  {
    method: 'get',
    path: '/oidc/login',
    mount: 'auth',
    auth: 'public',
    summary: 'Start an OpenID Connect sign-in: redirects to the IdP (optional ?return_to=)',
    handler: startOidcSignIn,
  },
  {
    method: 'get',
    path: '/oidc/callback',
    mount: 'auth',
    auth: 'public',
    summary: 'The IdP’s authorization response: signs the member in and redirects with ?code=',
    handler: finishOidcSignIn,
  },
]
