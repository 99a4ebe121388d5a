import { type PluginRoute, reply } from '#plugin-api'
import type { SsoSettings } from '../settings.js'
import { consumeAssertion } from './assertion_consumer.js'
import { redirectToIdentityProvider } from './login_redirect.js'
import { serviceProviderMetadata } from './service_provider.js'

/** SAML 2.0 service provider routes (mounted at /auth/saml). */
export const samlRoutes: PluginRoute<SsoSettings>[] = [
  {
    method: 'get',
    path: '/saml/metadata',
    mount: 'auth',
    auth: 'public',
    summary: 'This workspace’s SAML service provider metadata, for the IdP',
    async handler(context) {
      return reply({
        headers: { 'content-type': 'application/samlmetadata+xml' },
        body: serviceProviderMetadata(context),
      })
    },
  },
  {
    method: 'get',
    path: '/saml/login',
    mount: 'auth',
    auth: 'public',
    summary: 'Start a SAML sign-in: redirects to the IdP (optional ?return_to=)',
    handler: redirectToIdentityProvider,
  },
  {
    method: 'post',
    path: '/saml/acs',
    mount: 'auth',
    auth: 'public',
    summary: 'SAML assertion consumer service: the IdP’s response, posted by the browser',
    handler: consumeAssertion,
  },
]
