import type { ApiClient, ApiResponse } from '@japa/api-client'
import { tenantBaseUrl } from '#config/app'
import AuditEvent from '#audit/models/audit_event'
import User from '#identity/models/user'
import { installPlugin } from '#tests/helpers/plugins'
import type { TestTenant } from '#tests/helpers/tenants'
import type { TestIdentityProvider } from './identity_provider.js'

export const callbackUrlOf = (slug: string) => `${tenantBaseUrl(slug)}/auth/oidc/callback`

/** The sso plugin installed in `tenant` with OIDC pointing at the test IdP. */
export async function installOidc(
  client: ApiClient,
  tenant: TestTenant,
  idp: TestIdentityProvider,
  settings: Record<string, unknown> = {},
  permissions?: string[]
) {
  return installPlugin(client, tenant, 'sso', {
    permissions,
    settings: {
      oidc_enabled: true,
      oidc_issuer: idp.issuer,
      oidc_client_id: idp.clientId,
      oidc_client_secret: idp.clientSecret,
      oidc_scopes: 'openid email profile groups',
      group_roles: [
        { group: 'tandem-admins', role: 'admin' },
        { group: 'contractors', role: 'guest' },
      ],
      ...settings,
    },
  })
}

/** The binding cookie of a login answer, as the browser sends it back. */
function cookieOf(response: ApiResponse) {
  const header = response.header('set-cookie') as string | string[] | undefined
  const cookies = Array.isArray(header) ? header : header ? [header] : []
  return cookies.map((cookie) => cookie.split(';')[0]).join('; ')
}

/** A browser on the workspace's host, one request at a time, no redirect followed. */
export function browserAt(client: ApiClient, tenant: TestTenant) {
  let cookie = ''
  const get = (url: string) => {
    const { pathname, search } = new URL(url, tenantBaseUrl(tenant.slug))
    const request = client.get(`${pathname}${search}`).header('host', tenant.host).redirects(0)
    return cookie ? request.header('cookie', cookie) : request
  }
  return {
    /** GET /auth/oidc/login: the 302 to the IdP, keeping the binding cookie. */
    async startLogin(query = '') {
      const response = await get(`/auth/oidc/login${query}`)
      cookie = cookieOf(response) || cookie
      return response
    },
    /** The IdP's redirect back, followed by this browser. */
    callback: (url: string | URL) => get(url.toString()),
    forgetCookies() {
      cookie = ''
    },
  }
}

/** POST /api/v1/plugins/sso/exchange with the code of a final redirect. */
export function exchange(client: ApiClient, tenant: TestTenant, location: string) {
  const code = new URL(location).searchParams.get('code')
  return client
    .post('/api/v1/plugins/sso/exchange')
    .header('host', tenant.host)
    .json({ code: code ?? '' })
}

export async function auditOf(tenant: TestTenant, action: string) {
  const events = await tenant.run(() => AuditEvent.query().where('action', action).orderBy('seq'))
  return events.map((event) => ({
    actor: `${event.actorType}:${event.actorId}`,
    metadata: event.metadata as Record<string, unknown>,
  }))
}

export async function membersOf(tenant: TestTenant) {
  const users = await tenant.run(() => User.query().orderBy('id'))
  return users.map((user) => user.email)
}

/** Where a redirect sends the browser. */
export function locationOf(response: ApiResponse): string {
  const location = response.header('location')
  if (typeof location !== 'string') {
    throw new Error(`Expected a redirect, got ${response.status()}: ${response.text()}`)
  }
  return location
}
