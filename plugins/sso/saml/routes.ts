import type { PluginRoute } from '#plugin-api'
import type { SsoSettings } from '../settings.js'

/** SAML 2.0 service provider routes (mounted at /auth/saml). */
export const samlRoutes: PluginRoute<SsoSettings>[] = []
