import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { Redis } from 'ioredis'
import { createShardedAdapter } from '@socket.io/redis-adapter'
import logger from '@adonisjs/core/services/logger'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import type { TenantDirectory } from '#tenancy/services/tenant_directory'
import type { LiveUpdates, SessionNotices } from '#realtime/services/live_updates'
import type { SocketCommands } from '#realtime/socket_commands'
import { authenticateHandshake, HandshakeRefused, servedTenant } from '#realtime/handshake'
import type { ClientSocket, SocketIdentity } from '#realtime/socket_client'
import { rooms } from '#realtime/rooms'

const NOTICES: (keyof SessionNotices)[] = ['member-changed', 'token-revoked']

export interface GatewayOptions {
  /** Links the nodes through Redis sharded pub/sub; one node without it. */
  redisUrl?: string
  redisPrefix: string
}

/** Hooks other modules attach to the life of a socket (presence). */
export interface ConnectionObserver {
  connected(socket: ClientSocket): Promise<void> | void
  disconnected(socket: ClientSocket): Promise<void> | void
}

/**
 * The Socket.IO server of this node. Sockets authenticate at the
 * handshake, are bound to their tenant for life and join their user's
 * and token's rooms; everything else they join goes through a command
 * that checks the same policies as the REST API.
 *
 * Only the websocket transport is served: without sticky sessions a
 * long-polling client's requests would land on different nodes.
 */
export class RealtimeGateway {
  #io: Server | null = null
  #redis: Redis[] = []
  #observers: ConnectionObserver[] = []

  constructor(
    protected directory: TenantDirectory,
    protected live: LiveUpdates,
    protected commands: SocketCommands,
    protected options: GatewayOptions
  ) {}

  get server() {
    return this.#io
  }

  observe(observer: ConnectionObserver) {
    this.#observers.push(observer)
  }

  /** Serves sockets on the application's HTTP server. */
  async attach(httpServer: HttpServer) {
    const io = new Server(httpServer, {
      transports: ['websocket'],
      serveClient: false,
      cors: { origin: true },
    })
    await this.#link(io)
    this.#listen()
    this.commands.admitWith(async ({ socket }) => {
      try {
        await servedTenant(this.directory, socket.handshake)
      } catch (error) {
        // Answer this command, then close: the workspace is gone or suspended.
        setImmediate(() => socket.disconnect(true))
        throw error
      }
    })
    io.use((socket, next) => {
      authenticateHandshake(this.directory, socket.handshake)
        .then((identity) => {
          socket.data = identity
          next()
        })
        .catch((error) => {
          if (!(error instanceof HandshakeRefused)) {
            logger.error({ err: error }, 'socket handshake failed')
          }
          next(
            error instanceof HandshakeRefused
              ? error
              : new HandshakeRefused('E_INTERNAL_ERROR', 'Something went wrong on our side')
          )
        })
    })
    io.on('connection', (socket: ClientSocket) => this.#connected(socket))
  }

  /**
   * For processes that serve no sockets but push updates (`ace
   * events:work`): a server bound to no port, whose broadcasts reach the
   * other nodes through the Redis adapter.
   */
  async publishOnly() {
    if (!this.options.redisUrl) {
      return
    }
    await this.#link(new Server())
  }

  async close() {
    const io = this.#io
    if (!io) {
      return
    }
    this.#io = null
    this.live.use(null)
    io.local.disconnectSockets(true)
    await io.of('/').adapter.close()
    io.engine?.close()
    await Promise.all(this.#redis.map((client) => client.quit().catch(() => {})))
    this.#redis = []
  }

  async #link(io: Server) {
    if (this.options.redisUrl) {
      const pub = new Redis(this.options.redisUrl)
      const sub = pub.duplicate()
      this.#redis = [pub, sub]
      io.adapter(
        createShardedAdapter(pub, sub, {
          channelPrefix: `${this.options.redisPrefix}:socket.io`,
          subscriptionMode: 'dynamic',
        })
      )
    }
    // Notices other nodes send reach this node's listeners.
    for (const notice of NOTICES) {
      io.on(notice, (...args: any[]) => this.live.sessions.emit(notice, ...(args as [any, any])))
    }
    this.#io = io
    this.live.use(io)
  }

  #listen() {
    this.live.sessions.on('member-changed', (tenantId, userId) => {
      this.#refreshMember(tenantId, userId).catch((error) =>
        logger.error({ err: error, tenantId, userId }, 'could not refresh a member’s sockets')
      )
    })
    this.live.sessions.on('token-revoked', (tenantId, tokenId) => {
      this.#io?.local.in(rooms.token(tenantId, tokenId)).disconnectSockets(true)
    })
  }

  #connected(socket: ClientSocket) {
    const { tenant, user, tokenId } = socket.data as SocketIdentity
    void socket.join([rooms.user(tenant.id, user.id), rooms.token(tenant.id, tokenId)])
    this.commands.bind({ socket, ...socket.data })
    for (const observer of this.#observers) {
      void Promise.resolve(observer.connected(socket)).catch((error) =>
        logger.error({ err: error }, 'socket connection observer failed')
      )
    }
    socket.on('disconnect', () => {
      for (const observer of this.#observers) {
        void Promise.resolve(observer.disconnected(socket)).catch((error) =>
          logger.error({ err: error }, 'socket disconnection observer failed')
        )
      }
    })
  }

  /**
   * A member's role or status changed: the sockets of this node that
   * belong to them pick up the fresh row (policies read it), or close if
   * they may no longer connect.
   */
  async #refreshMember(tenantId: number, userId: number) {
    const io = this.#io
    if (!io) {
      return
    }
    const sockets = await io.local.in(rooms.user(tenantId, userId)).fetchSockets()
    if (sockets.length === 0) {
      return
    }
    const tenant = (sockets[0].data as SocketIdentity).tenant
    const user = await TenantContext.run(tenant, () => User.find(userId))
    for (const socket of sockets) {
      if (!user || !user.isActive) {
        socket.disconnect(true)
      } else {
        ;(socket.data as SocketIdentity).user = user
      }
    }
  }
}
