import { Secret } from '@adonisjs/core/helpers'
import type { Socket } from 'socket.io'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import type { TenantDirectory } from '#tenancy/services/tenant_directory'
import type { SocketIdentity } from '#realtime/socket_client'
import type { ApiException } from '#shared/api_exception'
import { TenantNotFoundException, TenantSuspendedException } from '#tenancy/exceptions'

/**
 * A refused handshake. Socket.IO hands `message` and `data` to the
 * client's `connect_error` listener.
 */
export class HandshakeRefused extends Error {
  data: { code: string }

  constructor(code: string, message: string) {
    super(message)
    this.data = { code }
  }
}

type Handshake = Socket['handshake']

function bearerToken(handshake: Handshake): string | null {
  const fromAuth = handshake.auth?.token
  if (typeof fromAuth === 'string' && fromAuth.length > 0) {
    return fromAuth
  }
  const header = handshake.headers.authorization
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match ? match[1] : null
}

/**
 * The tenant a socket's Host header names, while it is served: checked at
 * the handshake and again before every command, so a workspace suspended
 * while its members are connected stops answering at once.
 */
export async function servedTenant(directory: TenantDirectory, handshake: Handshake) {
  const tenant = await directory.resolveHost(handshake.headers.host ?? '')
  if (!tenant || tenant.status === 'provisioning' || tenant.status === 'archived') {
    throw new TenantNotFoundException()
  }
  if (tenant.status === 'suspended') {
    throw new TenantSuspendedException()
  }
  return tenant
}

/**
 * Binds a connecting socket to the tenant of its Host header and the
 * member its access token belongs to, with the same rules as an API
 * request: a token of another tenant is not found in this tenant's
 * table, so it is refused like any unknown token.
 */
export async function authenticateHandshake(
  directory: TenantDirectory,
  handshake: Handshake
): Promise<SocketIdentity> {
  const tenant = await servedTenant(directory, handshake).catch((error: ApiException) => {
    throw new HandshakeRefused(error.code!, error.message)
  })
  const token = bearerToken(handshake)
  if (!token) {
    throw new HandshakeRefused('E_UNAUTHORIZED', 'An access token is required')
  }
  const bound = { id: tenant.id, slug: tenant.slug, schema: tenant.schema }
  return TenantContext.run(bound, async () => {
    const accessToken = await User.accessTokens.verify(new Secret(token))
    const user = accessToken ? await User.find(accessToken.tokenableId) : null
    if (!accessToken || !user || !user.isActive) {
      throw new HandshakeRefused('E_UNAUTHORIZED', 'Invalid or expired access token')
    }
    return { tenant: bound, user, tokenId: String(accessToken.identifier) }
  })
}
