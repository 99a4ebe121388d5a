import type { PluginRoute } from '#plugin-api'
import type { SsoSettings } from '../settings.js'

/** OpenID Connect relying party routes (mounted at /auth/oidc). */
export const oidcRoutes: PluginRoute<SsoSettings>[] = []
