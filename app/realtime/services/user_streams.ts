import type { HttpContext } from '@adonisjs/core/http'
import type transmitService from '@adonisjs/transmit/services/main'
import type { Broadcastable } from '@boringnode/transmit/types'
import logger from '@adonisjs/core/services/logger'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import type { LiveUpdates } from '#realtime/services/live_updates'

/** The SSE channel of one member: what their user room receives. */
export function userChannel(tenantId: number, userId: number) {
  return `tenants/${tenantId}/users/${userId}`
}

type Transmit = typeof transmitService

interface OpenStream {
  tenantId: number
  userId: number
  tokenId: string
  context: HttpContext
}

/**
 * Per-member Server-Sent Events streams (`GET /__transmit/events`), for
 * clients that cannot hold a socket. A stream is subscribed to its
 * member's channel as it opens, carries the events of their user room,
 * and closes when the member is deactivated or the token revoked.
 */
export class UserStreams {
  #open = new Map<string, OpenStream>()

  constructor(
    protected transmit: Transmit,
    protected live: LiveUpdates
  ) {}

  start() {
    this.transmit.authorize<{ tenant: string; user: string }>(
      'tenants/:tenant/users/:user',
      (ctx: HttpContext, params) =>
        ctx.tenant?.id === Number(params.tenant) && ctx.auth.user?.id === Number(params.user)
    )
    this.transmit.on('connect', ({ uid, context }: { uid: string; context: HttpContext }) =>
      this.#opened(uid, context)
    )
    this.transmit.on('disconnect', ({ uid }: { uid: string }) => {
      this.#open.delete(uid)
    })
    this.live.sessions.on('member-changed', (tenantId, userId) => {
      this.#recheck(tenantId, userId).catch((error) =>
        logger.error({ err: error, tenantId, userId }, 'could not recheck a member’s streams')
      )
    })
    this.live.sessions.on('token-revoked', (tenantId, tokenId) => {
      this.#close((stream) => stream.tenantId === tenantId && stream.tokenId === tokenId)
    })
  }

  /**
   * Whether a stream id may be opened by this caller: ids are chosen by
   * clients, and one already open for somebody else must not be taken over.
   */
  mayOpen(uid: string, ctx: HttpContext) {
    const open = this.#open.get(uid)
    return !open || (open.tenantId === ctx.tenant.id && open.userId === ctx.auth.user?.id)
  }

  async #opened(uid: string, context: HttpContext) {
    const user = context.auth.use('api').getUserOrFail()
    this.#open.set(uid, {
      tenantId: context.tenant.id,
      userId: user.id,
      tokenId: String(user.currentAccessToken.identifier),
      context,
    })
    await this.transmit.subscribe({
      uid,
      channel: userChannel(context.tenant.id, user.id),
      context,
    })
  }

  async #recheck(tenantId: number, userId: number) {
    const streams = [...this.#open.values()].filter(
      (stream) => stream.tenantId === tenantId && stream.userId === userId
    )
    if (streams.length === 0) {
      return
    }
    const user = await TenantContext.run(streams[0].context.tenant, () => User.find(userId))
    if (!user || !user.isActive) {
      this.#close((stream) => streams.includes(stream))
    }
  }

  #close(which: (stream: OpenStream) => boolean) {
    for (const [uid, stream] of this.#open) {
      if (which(stream)) {
        this.#open.delete(uid)
        stream.context.response.response.end()
      }
    }
  }
}

/**
 * Sends user-room events to the SSE channels too, from any process: with
 * Redis, transmit's transport carries them to the node holding the stream.
 */
export function mirrorToUserStreams(live: LiveUpdates, transmit: () => Promise<Transmit>) {
  // Resolved on the first event: processes that send none open no transport.
  let resolved: Promise<Transmit> | undefined
  live.mirrorUserEvents((tenantId, userId, event, payload) => {
    resolved ??= transmit()
    resolved
      .then((instance) =>
        instance.broadcast(userChannel(tenantId, userId), {
          event,
          data: payload as Broadcastable,
        })
      )
      .catch((error) => logger.error({ err: error }, 'could not mirror an event to SSE'))
  })
}
