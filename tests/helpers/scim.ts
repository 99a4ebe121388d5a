import type { ApiClient, ApiRequest } from '@japa/api-client'
import type { TestTenant } from '#tests/helpers/tenants'
import User from '#identity/models/user'

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

export interface ScimApi {
  token: string
  get(path: string): ApiRequest
  post(path: string, body: unknown): ApiRequest
  put(path: string, body: unknown): ApiRequest
  patch(path: string, operations: unknown[]): ApiRequest
  delete(path: string): ApiRequest
}

/** Requests to a tenant's SCIM server with a bearer token, as an IdP sends them. */
export function scimApi(client: ApiClient, host: string, token: string): ScimApi {
  const request = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) =>
    client[method](`/scim/v2${path}`)
      .header('host', host)
      .header('content-type', 'application/scim+json')
      .bearerToken(token)
  return {
    token,
    get: (path) => request('get', path),
    post: (path, body) => request('post', path).json(body),
    put: (path, body) => request('put', path).json(body),
    patch: (path, operations) =>
      request('patch', path).json({ schemas: [SCIM_PATCH], Operations: operations }),
    delete: (path) => request('delete', path),
  }
}

/** A SCIM token the tenant's owner creates through the admin API. */
export async function createScimToken(client: ApiClient, tenant: TestTenant, name = 'Okta') {
  const response = await client
    .post('/api/v1/scim/tokens')
    .header('host', tenant.host)
    .bearerToken(tenant.ownerToken)
    .json({ name })
  response.assertStatus(201)
  return response.body().data as { id: number; token: string; name: string }
}

export async function scimFor(client: ApiClient, tenant: TestTenant) {
  const { token } = await createScimToken(client, tenant)
  return scimApi(client, tenant.host, token)
}

/** A user body as Okta sends it on creation. */
export function oktaUser(userName: string, overrides: Record<string, unknown> = {}) {
  const [given] = userName.split('@')
  return {
    schemas: [SCIM_USER],
    userName,
    name: { givenName: given, familyName: 'Tester' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} Tester`,
    active: true,
    ...overrides,
  }
}

/** An access token for a member (SCIM-provisioned members have no password to sign in with). */
export async function accessTokenFor(tenant: TestTenant, userId: number) {
  return tenant.run(async () => {
    const user = await User.findOrFail(userId)
    const token = await User.accessTokens.create(user)
    return token.value!.release()
  })
}

/** A member's status as stored. */
export async function memberStatus(tenant: TestTenant, userId: number | string) {
  const member = await tenant.run(() => User.findOrFail(Number(userId)))
  return member.status
}
