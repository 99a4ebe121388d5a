import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: false,

  /*
   * Tenants are resolved from the Host header; behind a proxy, trust it to
   * set X-Forwarded-* only from loopback by default.
   */
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})

/**
 * Domain under which tenants get their subdomains (acme.<appDomain>).
 */
export const appDomain = env.get('APP_DOMAIN', 'localhost').toLowerCase()

/**
 * A tenant's public address when there is no request to take the scheme
 * and port from (background jobs, plugins): APP_URL with the slug in front.
 */
export function tenantBaseUrl(slug: string) {
  const base = new URL(env.get('APP_URL') ?? `http://${appDomain}:${env.get('PORT', 3333)}`)
  base.hostname = `${slug}.${base.hostname}`
  return base.origin
}
