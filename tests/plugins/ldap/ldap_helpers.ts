import type { ApiClient } from '@japa/api-client'
import { installPlugin } from '#tests/helpers/plugins'
import { createTenant, type TestTenant } from '#tests/helpers/tenants'
import { allPages, as } from '#tests/helpers/work'
import { acmeSettings } from './directory_seed.js'

export const PLUGIN = '/plugins/ldap'

export interface AuditEntry {
  action: string
  actor: { type: string; id: string | null }
  target: { type: string; id: string } | null
  ip: string | null
  metadata: Record<string, any> | null
}

export interface Member {
  id: number
  email: string
  full_name: string
  role: string
  status: string
}

/** A workspace with the ldap plugin installed over HTTP by its owner, and requests as the owner. */
export async function workspaceWithDirectory(
  client: ApiClient,
  slug: string,
  settings: Record<string, unknown>
) {
  const tenant = await createTenant(slug)
  await installPlugin(client, tenant, 'ldap', { settings })
  return { tenant, owner: as(client, tenant, tenant.ownerToken) }
}

export async function acmeWithDirectory(
  client: ApiClient,
  url: string,
  overrides: Record<string, unknown> = {}
) {
  return workspaceWithDirectory(client, 'acme', acmeSettings(url, overrides))
}

/** POST /login as a sign-in form does: no token, the workspace's host. */
export function signIn(
  client: ApiClient,
  tenant: TestTenant,
  body: { username?: unknown; password?: unknown }
) {
  return client
    .post(`/api/v1${PLUGIN}/login`)
    .header('host', tenant.host)
    .header('user-agent', 'ldap-spec')
    .json(body)
}

/** The workspace's audit entries of one action, oldest first. */
export async function auditOf(client: ApiClient, tenant: TestTenant, action: string) {
  const entries = await allPages<AuditEntry>(
    as(client, tenant, tenant.ownerToken),
    '/audit-events',
    {
      action,
    }
  )
  return entries.reverse()
}

export async function membersOf(client: ApiClient, tenant: TestTenant) {
  return allPages<Member>(as(client, tenant, tenant.ownerToken), '/members')
}

export async function memberByEmail(client: ApiClient, tenant: TestTenant, email: string) {
  const members = await membersOf(client, tenant)
  return members.find((member) => member.email === email)
}
