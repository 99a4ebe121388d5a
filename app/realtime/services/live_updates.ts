import type { Server } from 'socket.io'
import { TenantContext } from '#tenancy/tenant_context'
import { rooms } from '#realtime/rooms'

type MemberRefresh = (tenantId: number, userId: number) => Promise<void>

/**
 * Where a live update goes. The gateway hands it its Socket.IO server (or
 * a detached one that only publishes through the Redis adapter, in
 * processes without sockets); until then updates are dropped, which is
 * right for commands that serve no clients.
 *
 * Every method targets the bound tenant: callers run inside TenantContext.
 */
export class LiveUpdates {
  #server: Server | null = null
  #refreshMember: MemberRefresh | null = null
  #userStreams: ((tenantId: number, userId: number, event: string, payload: unknown) => void)[] = []

  use(server: Server | null, refreshMember: MemberRefresh | null = null) {
    this.#server = server
    this.#refreshMember = refreshMember
  }

  /** Also deliver user-room events to this sink (the SSE stream). */
  mirrorUserEvents(
    sink: (tenantId: number, userId: number, event: string, payload: unknown) => void
  ) {
    this.#userStreams.push(sink)
  }

  toChannel(channelId: number, event: string, payload: unknown, options: { except?: string } = {}) {
    this.#emit(rooms.channel(this.#tenantId(), channelId), event, payload, options.except)
  }

  toProject(projectId: number, event: string, payload: unknown) {
    this.#emit(rooms.project(this.#tenantId(), projectId), event, payload)
  }

  toUsers(userIds: Iterable<number>, event: string, payload: unknown) {
    const tenantId = this.#tenantId()
    const targets = [...new Set(userIds)]
    if (targets.length === 0) {
      return
    }
    this.#server?.to(targets.map((id) => rooms.user(tenantId, id))).emit(event, payload)
    for (const userId of targets) {
      for (const sink of this.#userStreams) {
        sink(tenantId, userId, event, payload)
      }
    }
  }

  /** Removes every socket of a user, on every node, from a room. */
  leave(userId: number, room: string) {
    this.#server?.in(rooms.user(this.#tenantId(), userId)).socketsLeave(room)
  }

  /** Closes every socket of a user, on every node. */
  disconnectUser(userId: number) {
    this.#server?.in(rooms.user(this.#tenantId(), userId)).disconnectSockets(true)
  }

  /**
   * A member's role or status changed: every node reloads them for their
   * open sockets (and closes those of a deactivated member).
   */
  async refreshMember(userId: number) {
    await this.#refreshMember?.(this.#tenantId(), userId)
  }

  /** Closes every socket authenticated with an access token, on every node. */
  disconnectToken(tokenId: string | number) {
    this.#server?.in(rooms.token(this.#tenantId(), tokenId)).disconnectSockets(true)
  }

  #emit(room: string, event: string, payload: unknown, except?: string) {
    if (!this.#server) {
      return
    }
    const target = except ? this.#server.to(room).except(except) : this.#server.to(room)
    target.emit(event, payload)
  }

  #tenantId() {
    return TenantContext.currentOrFail().id
  }
}
