import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { TenantContext } from '#tenancy/tenant_context'
import { LiveUpdates } from '#realtime/services/live_updates'
import { rooms } from '#realtime/rooms'
import { ChannelAccess, type ChannelScope } from '#messaging/services/channel_access'
import { ChannelMembers } from '#messaging/services/channel_members'
import { channelResource, type ChannelResource } from '#messaging/resources'
import { tables, type ChannelRow } from '#messaging/tables'
import {
  ChannelCreated,
  ChannelDeleted,
  ChannelMemberAdded,
  ChannelMemberRemoved,
  ChannelUpdated,
  type FieldChanges,
} from '#messaging/events'
import {
  ChannelArchivedException,
  ChannelNameTakenException,
  MessagingInputException,
  MessagingNotFoundException,
} from '#messaging/exceptions'

export interface NewChannel {
  name: string
  type: 'public' | 'private'
  member_ids?: number[]
  topic?: string | null
}

export interface ChannelChanges {
  name?: string
  topic?: string | null
  archived?: boolean
}

/** Where a change came from, for the audit trail: socket handlers may have neither. */
const NO_ORIGIN: RequestOrigin = { ip: null, userAgent: null }
const UNIQUE_VIOLATION = '23505'
const MAX_NAME = 80
const MAX_TOPIC = 250

/**
 * Creating, changing and deleting channels, and who belongs to them.
 * Creation, membership changes and deletion are audited; every change is
 * announced as a domain event in its transaction, and to live clients
 * after COMMIT.
 */
@inject()
export class ChannelAdministration {
  constructor(protected live: LiveUpdates) {}

  /** The creator owns the new channel; `member_ids` join it as members. */
  async create(actor: User, input: NewChannel, origin: RequestOrigin = NO_ORIGIN) {
    ChannelAccess.authorize('create', actor)
    if (input.type !== 'public' && input.type !== 'private') {
      throw new MessagingInputException('type', 'A channel is public or private')
    }
    const name = this.#name(input.name)
    const topic = this.#topic(input.topic)
    const memberIds = [...new Set(input.member_ids ?? [])].filter((id) => id !== actor.id)
    const channel = await this.#guardName(() =>
      db.transaction(async (trx) => {
        await ChannelMembers.ensureActive(trx, memberIds, 'member_ids')
        const [created]: ChannelRow[] = await trx
          .insertQuery()
          .table(tables.channels())
          .insert({ kind: input.type, name, topic: topic ?? null, created_by: actor.id })
          .returning('*')
        await ChannelMembers.add(trx, created.id, [actor.id], 'owner')
        const added = await ChannelMembers.add(trx, created.id, memberIds, 'member')
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: actor.id },
          action: 'channel.created',
          target: { type: 'channel', id: created.id },
          ...origin,
          metadata: { name, kind: created.kind, member_ids: added },
        })
        await EventOutbox.append(trx, [
          new ChannelCreated(this.#reference(created), actor.id),
          new ChannelMemberAdded(
            { channel_id: created.id, user_id: actor.id, role: 'owner' },
            actor.id
          ),
          ...added.map(
            (userId) =>
              new ChannelMemberAdded(
                { channel_id: created.id, user_id: userId, role: 'member' },
                actor.id
              )
          ),
        ])
        return { ...created, added }
      })
    )
    const own = channelResource({ ...channel, role: 'owner', last_read_seq: 0 })
    this.live.toUsers([actor.id], 'channel:added', own)
    if (channel.added.length > 0) {
      this.live.toUsers(channel.added, 'channel:added', this.#asNewMember(channel))
    }
    return own
  }

  /** Renames, sets the topic, archives or unarchives (channel owners and admins). */
  async update(actor: User, channelId: number, input: ChannelChanges) {
    const scope = await ChannelAccess.open(actor, channelId)
    ChannelAccess.authorize('manage', actor, scope)
    const { channel, changes } = await this.#guardName(() =>
      db.transaction(async (trx) => {
        const current = await this.#lock(trx, channelId)
        const wanted = {
          name: input.name === undefined ? current.name : this.#name(input.name),
          topic: input.topic === undefined ? current.topic : this.#topic(input.topic),
          archived: input.archived ?? current.archived_at !== null,
        }
        const fieldChanges: FieldChanges = {}
        if (wanted.name !== current.name) {
          fieldChanges.name = { from: current.name, to: wanted.name }
        }
        if (wanted.topic !== current.topic) {
          fieldChanges.topic = { from: current.topic, to: wanted.topic }
        }
        if (wanted.archived !== (current.archived_at !== null)) {
          fieldChanges.archived = { from: !wanted.archived, to: wanted.archived }
        }
        if (Object.keys(fieldChanges).length === 0) {
          return { channel: current, changes: null }
        }
        const [updated]: ChannelRow[] = await trx
          .from(tables.channels())
          .where('id', channelId)
          .update({
            name: wanted.name,
            topic: wanted.topic,
            archived_at: wanted.archived ? (current.archived_at ?? new Date()) : null,
            updated_at: new Date(),
          })
          .returning('*')
        await EventOutbox.append(trx, [
          new ChannelUpdated({ ...this.#reference(updated), changes: fieldChanges }, actor.id),
        ])
        return { channel: updated, changes: fieldChanges }
      })
    )
    if (changes) {
      this.live.toChannel(channelId, 'channel:updated', channelResource(channel))
    }
    return this.#asSeenBy(channel, scope)
  }

  /** Deletes the channel with all its messages, for good. */
  async delete(actor: User, channelId: number, origin: RequestOrigin = NO_ORIGIN) {
    const scope = await ChannelAccess.open(actor, channelId)
    ChannelAccess.authorize('manage', actor, scope)
    await db.transaction(async (trx) => {
      // The row lock waits for posts in flight, which hold it until COMMIT.
      const channel = await this.#lock(trx, channelId)
      await trx.from(tables.channels()).where('id', channelId).delete()
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'channel.deleted',
        target: { type: 'channel', id: channelId },
        ...origin,
        metadata: { name: channel.name, kind: channel.kind, last_seq: channel.last_seq },
      })
      await EventOutbox.append(trx, [new ChannelDeleted(this.#reference(channel), actor.id)])
    })
    this.live.toChannel(channelId, 'channel:deleted', { channel_id: channelId })
  }

  /**
   * Adds those who are not members yet and returns their ids. A full
   * member adding only themself to a public channel joins it.
   */
  async addMembers(
    actor: User,
    channelId: number,
    userIds: number[],
    origin: RequestOrigin = NO_ORIGIN
  ) {
    const ids = [...new Set(userIds)]
    if (ids.length === 0) {
      throw new MessagingInputException('user_ids', 'Name at least one member')
    }
    const scope = await ChannelAccess.open(actor, channelId)
    ChannelAccess.authorize('addMembers', actor, scope, ids)
    const { channel, added } = await db.transaction(async (trx) => {
      // A key-share lock: the channel cannot be deleted meanwhile, posts go on.
      const locked = await trx.rawQuery(
        `SELECT * FROM ${tables.channels()} WHERE id = ? FOR KEY SHARE`,
        [channelId]
      )
      const current: ChannelRow | undefined = locked.rows[0]
      if (!current) {
        throw new MessagingNotFoundException('channel')
      }
      if (current.archived_at !== null) {
        throw new ChannelArchivedException()
      }
      await ChannelMembers.ensureActive(trx, ids, 'user_ids')
      const newcomers = await ChannelMembers.add(trx, channelId, ids, 'member')
      for (const userId of newcomers) {
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: actor.id },
          action: 'channel.member_added',
          target: { type: 'channel', id: channelId },
          ...origin,
          metadata: { user_id: userId, role: 'member' },
        })
      }
      await EventOutbox.append(
        trx,
        newcomers.map(
          (userId) =>
            new ChannelMemberAdded(
              { channel_id: channelId, user_id: userId, role: 'member' },
              actor.id
            )
        )
      )
      return { channel: current, added: newcomers }
    })
    if (added.length > 0) {
      this.live.toUsers(added, 'channel:added', this.#asNewMember(channel))
    }
    return added
  }

  /**
   * Removes a member: themself (leaving), or anyone when the caller
   * manages the channel. Their sockets stop receiving the channel at once.
   */
  async removeMember(
    actor: User,
    channelId: number,
    userId: number,
    origin: RequestOrigin = NO_ORIGIN
  ) {
    const scope = await ChannelAccess.open(actor, channelId)
    ChannelAccess.authorize('removeMember', actor, scope, userId)
    await db.transaction(async (trx) => {
      const removed = await trx
        .from(tables.members())
        .where({ channel_id: channelId, user_id: userId })
        .delete()
        .returning('role')
      if (removed.length === 0) {
        throw new MessagingNotFoundException('member')
      }
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'channel.member_removed',
        target: { type: 'channel', id: channelId },
        ...origin,
        metadata: { user_id: userId, role: removed[0].role, left: userId === actor.id },
      })
      await EventOutbox.append(trx, [
        new ChannelMemberRemoved({ channel_id: channelId, user_id: userId }, actor.id),
      ])
    })
    this.live.toUsers([userId], 'channel:removed', { channel_id: channelId })
    this.live.leave(userId, rooms.channel(TenantContext.currentOrFail().id, channelId))
  }

  #reference(channel: ChannelRow) {
    return { channel_id: channel.id, kind: channel.kind, name: channel.name }
  }

  /** What someone just added sees: a member who has read up to now. */
  #asNewMember(channel: ChannelRow): ChannelResource {
    return channelResource({ ...channel, role: 'member', last_read_seq: channel.last_seq })
  }

  #asSeenBy(channel: ChannelRow, scope: ChannelScope) {
    return channelResource({
      ...channel,
      role: scope.membership?.role ?? null,
      last_read_seq: scope.membership?.lastReadSeq ?? null,
    })
  }

  #name(name: string) {
    const trimmed = typeof name === 'string' ? name.trim() : ''
    if (trimmed.length === 0 || trimmed.length > MAX_NAME) {
      throw new MessagingInputException('name', `A channel name has 1 to ${MAX_NAME} characters`)
    }
    return trimmed
  }

  #topic(topic: string | null | undefined) {
    const trimmed = topic?.trim() || null
    if (trimmed && trimmed.length > MAX_TOPIC) {
      throw new MessagingInputException('topic', `A topic has at most ${MAX_TOPIC} characters`)
    }
    return trimmed
  }

  async #lock(trx: TransactionClientContract, channelId: number): Promise<ChannelRow> {
    const channel = await trx.from(tables.channels()).where('id', channelId).forUpdate().first()
    if (!channel) {
      throw new MessagingNotFoundException('channel')
    }
    return channel
  }

  /** The name's unique index settles races between two creators. */
  async #guardName<T>(write: () => Promise<T>) {
    try {
      return await write()
    } catch (error) {
      const violation = error as { code?: string; constraint?: string }
      if (violation.code === UNIQUE_VIOLATION && violation.constraint === 'channels_name_unique') {
        throw new ChannelNameTakenException()
      }
      throw error
    }
  }
}
