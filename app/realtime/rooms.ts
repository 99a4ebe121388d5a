/*
 * Socket.IO room names. Every room carries its tenant, so no join, emit or
 * cross-node broadcast can reach another tenant's sockets even when ids
 * collide across tenant schemas.
 */
export const rooms = {
  channel: (tenantId: number, channelId: number) => `t:${tenantId}:channel:${channelId}`,
  project: (tenantId: number, projectId: number) => `t:${tenantId}:project:${projectId}`,
  user: (tenantId: number, userId: number) => `t:${tenantId}:user:${userId}`,
  /** Subscribers of one user's presence. */
  presence: (tenantId: number, userId: number) => `t:${tenantId}:presence:${userId}`,
  /** Every socket authenticated with one access token. */
  token: (tenantId: number, tokenId: string | number) => `t:${tenantId}:token:${tokenId}`,
}
