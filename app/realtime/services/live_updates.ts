import { EventEmitter } from 'node:events'
import type { Server } from 'socket.io'
import { TenantContext } from '#tenancy/tenant_context'
import { rooms } from '#realtime/rooms'

/**
 * Cluster-wide notices about sessions, heard by every node: sockets and
 * SSE streams of a member or a token are checked or closed on each.
 */
export interface SessionNotices {
  /** A member's role or status changed: reload them, close if inactive. */
  'member-changed': [tenantId: number, userId: number]
  /** An access token was revoked: close what it opened. */
  'token-revoked': [tenantId: number, tokenId: string]
}

type UserSink = (tenantId: number, userId: number, event: string, payload: unknown) => void

/**
 * Where a live update goes. The gateway hands it its Socket.IO server (or
 * a detached one that only publishes through the Redis adapter, in
 * processes without sockets); until then updates reach this process
 * only, which is right for commands that serve no clients.
 *
 * Every method targets the bound tenant: callers run inside TenantContext.
 */
export class LiveUpdates {
  #server: Server | null = null
  #userSinks: UserSink[] = []
  /** Notices for this node's own sockets and streams. */
  readonly sessions = new EventEmitter<SessionNotices>()

  use(server: Server | null) {
    this.#server = server
  }

  /** Also deliver user-room events to this sink (the SSE stream). */
  mirrorUserEvents(sink: UserSink) {
    this.#userSinks.push(sink)
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
      for (const sink of this.#userSinks) {
        sink(tenantId, userId, event, payload)
      }
    }
  }

  /** To the sockets watching one member's presence (any node). */
  toPresenceWatchers(tenantId: number, userId: number, presence: unknown) {
    this.#server?.to(rooms.presence(tenantId, userId)).emit('presence:changed', presence)
  }

  /** Removes every socket of a user, on every node, from a room. */
  leave(userId: number, room: string) {
    this.#server?.in(rooms.user(this.#tenantId(), userId)).socketsLeave(room)
  }

  /**
   * A member's role or status changed: every node reloads them for their
   * open sockets and streams, and closes those of a deactivated member.
   */
  refreshMember(userId: number) {
    this.#notify('member-changed', this.#tenantId(), userId)
  }

  /** Closes every socket and stream opened with an access token, on every node. */
  revokeToken(tokenId: string) {
    this.#notify('token-revoked', this.#tenantId(), tokenId)
  }

  #notify<Notice extends keyof SessionNotices>(notice: Notice, ...args: SessionNotices[Notice]) {
    this.#server?.serverSideEmit(notice, ...args)
    this.sessions.emit(notice, ...(args as any))
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
