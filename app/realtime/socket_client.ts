import type { Socket } from 'socket.io'
import type User from '#identity/models/user'
import type { BoundTenant } from '#tenancy/tenant_context'

/**
 * Who is at the other end of a socket: bound once, at the handshake.
 */
export interface SocketIdentity {
  tenant: BoundTenant
  user: User
  /** The access token the socket authenticated with. */
  tokenId: string
}

export type ClientSocket = Socket<any, any, any, SocketIdentity>

/**
 * A socket command's view of its caller.
 */
export interface SocketClient extends SocketIdentity {
  socket: ClientSocket
}
