import { inflateRawSync } from 'node:zlib'
import type { ApiClient } from '@japa/api-client'
import AuditEvent from '#audit/models/audit_event'
import { tenantBaseUrl } from '#config/app'
import { installPlugin } from '#tests/helpers/plugins'
import type { TestTenant } from '#tests/helpers/tenants'
import { encodeResponse } from './test_idp.js'

/** A workspace as the SAML SP it is: its entity id and ACS URL. */
export function serviceProviderOf(slug: string) {
  const base = tenantBaseUrl(slug)
  return { entityId: `${base}/auth/saml/metadata`, acsUrl: `${base}/auth/saml/acs` }
}

export async function installSso(
  client: ApiClient,
  tenant: TestTenant,
  settings: Record<string, unknown>
) {
  return installPlugin(client, tenant, 'sso', { settings: { saml_enabled: true, ...settings } })
}

/** GET /auth/saml/login as the browser does; the AuthnRequest it redirects with, decoded. */
export async function startLogin(client: ApiClient, tenant: TestTenant, returnTo?: string) {
  const request = client.get('/auth/saml/login').header('host', tenant.host).redirects(0)
  const response = await (returnTo ? request.qs({ return_to: returnTo }) : request)
  const location = response.header('location') ?? ''
  const encoded = location ? new URL(location).searchParams.get('SAMLRequest') : null
  const xml = encoded ? inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8') : ''
  return { response, location, xml, requestId: /\bID="([^"]+)"/.exec(xml)?.[1] ?? null }
}

/** The browser posting the IdP's form (or a forged response) to the workspace's ACS. */
export function postToAcs(
  client: ApiClient,
  tenant: TestTenant,
  form: { SAMLResponse: string; RelayState?: string } | string
) {
  const fields = typeof form === 'string' ? { SAMLResponse: encodeResponse(form) } : form
  return client.post('/auth/saml/acs').header('host', tenant.host).form(fields).redirects(0)
}

/** Trades the ?code= of a sign-in redirect for the session, as the web app does. */
export async function exchangeCode(client: ApiClient, tenant: TestTenant, location: string) {
  const code = new URL(location).searchParams.get('code')
  const response = await client
    .post('/api/v1/plugins/sso/exchange')
    .header('host', tenant.host)
    .json({ code })
  response.assertStatus(200)
  return response.body().data as { token: string; member: { id: number; email: string } }
}

/** The reasons of the workspace's refused SSO sign-ins, oldest first. */
export async function refusals(tenant: TestTenant) {
  const events = await tenant.run(() =>
    AuditEvent.query().where('action', 'sso.login_failed').orderBy('seq')
  )
  return events.map((event) => event.metadata.reason as string)
}

export async function auditedLogins(tenant: TestTenant) {
  return tenant.run(() =>
    AuditEvent.query().whereIn('action', ['sso.login', 'auth.login']).orderBy('seq')
  )
}
