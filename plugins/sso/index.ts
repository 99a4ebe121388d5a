import { definePlugin } from '#plugin-api'
import { exchangeRoute } from './exchange_route.js'
import { migrations } from './migrations.js'
import { oidcRoutes } from './oidc/routes.js'
import { samlRoutes } from './saml/routes.js'
import { SECRET_SETTINGS, settingsSchema } from './settings.js'

/**
 * Single sign-on for one workspace: a SAML 2.0 service provider and an
 * OpenID Connect relying party, each configured per workspace. README.md
 * has the settings, the routes and what is checked.
 */
export default definePlugin({
  id: 'sso',
  name: 'Single sign-on (SAML, OIDC)',
  version: '1.0.0',
  description:
    'Members sign in through your identity provider (Okta, Entra ID, Google, Keycloak...) by SAML 2.0 or OpenID Connect, with just-in-time accounts and group-to-role mapping.',
  permissions: ['users:read', 'users:write', 'sessions:write', 'network'],
  settings: { schema: settingsSchema, secrets: [...SECRET_SETTINGS] },
  migrations,
  routes: [...samlRoutes, ...oidcRoutes, exchangeRoute],
  hooks: {
    'auth.providers': async (context) => [
      ...(context.settings.saml_enabled
        ? [{ id: 'saml', name: 'Single sign-on (SAML)', url: context.url('/auth/saml/login') }]
        : []),
      ...(context.settings.oidc_enabled
        ? [
            {
              id: 'oidc',
              name: 'Single sign-on (OpenID Connect)',
              url: context.url('/auth/oidc/login'),
            },
          ]
        : []),
    ],
  },
})
