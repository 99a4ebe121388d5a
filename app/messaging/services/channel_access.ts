import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import ChannelPolicy from '#messaging/policies/channel_policy'
import { MessageRecords } from '#messaging/services/message_records'
import { tables, type ChannelRole, type ChannelRow, type MessageRow } from '#messaging/tables'
import { ChannelForbiddenException, MessagingNotFoundException } from '#messaging/exceptions'

export interface ChannelMembership {
  role: ChannelRole
  lastReadSeq: number
}

/** A channel the caller can see, and their membership (null: a public channel they did not join). */
export interface ChannelScope {
  channel: ChannelRow
  membership: ChannelMembership | null
}

type ChannelAbility =
  | 'create'
  | 'browse'
  | 'participate'
  | 'editMessage'
  | 'deleteMessage'
  | 'manage'
  | 'addMembers'
  | 'removeMember'

/** What the caller is told when the policy says no. */
const REFUSALS: Record<ChannelAbility, string> = {
  create: 'Guests cannot create channels',
  browse: 'Guests cannot browse channels',
  participate: 'Join the channel first',
  editMessage: 'Only its author edits a message',
  deleteMessage: 'Only its author, a channel owner or an admin deletes a message',
  manage: 'Only channel owners and admins manage a channel; direct messages are not managed',
  addMembers: 'You may not add these members to this channel',
  removeMember: 'You may not remove this member from this channel',
}

/*
 * The policy the services consult: the same class controllers would get
 * from Bouncer, asked directly so socket handlers, which have no HTTP
 * context, go through the same rules.
 */
const policy = new ChannelPolicy()

/**
 * Who can see a channel: its members; full members (not guests) also see
 * every public channel, joined or not. Anything else is answered 404, as
 * if it did not exist.
 */
export class ChannelAccess {
  /** The channel and the caller's membership; 404 when missing or invisible. */
  static async open(
    user: User,
    channelId: number,
    client: QueryClientContract = db.connection()
  ): Promise<ChannelScope> {
    const row = await client
      .from(`${tables.channels()} as c`)
      .leftJoin(`${tables.members()} as cm`, (join) => {
        join.on('cm.channel_id', 'c.id').andOnVal('cm.user_id', user.id)
      })
      .where('c.id', channelId)
      .select('c.*', 'cm.role as member_role', 'cm.last_read_seq as member_last_read_seq')
      .first()
    if (!row) {
      throw new MessagingNotFoundException('channel')
    }
    const { member_role: role, member_last_read_seq: lastReadSeq, ...channel } = row
    const membership = role ? { role, lastReadSeq } : null
    if (!this.#visible(user, channel, membership)) {
      throw new MessagingNotFoundException('channel')
    }
    return { channel, membership }
  }

  /** A message (deleted ones too, as tombstones) and the caller's scope in its channel. */
  static async openMessage(user: User, messageId: number) {
    const message = await MessageRecords.find(messageId)
    if (!message) {
      throw new MessagingNotFoundException('message')
    }
    return { message, scope: await this.#scopeOf(user, message) }
  }

  /**
   * A live message whose edit history the caller may read: its author
   * always (even after leaving the channel: those were their words), and
   * whoever can read the channel.
   */
  static async openHistoryOf(user: User, messageId: number) {
    const message = await MessageRecords.find(messageId)
    this.ensureLive(message)
    if (!user.isActive || message!.sender_id !== user.id) {
      await this.#scopeOf(user, message!)
    }
    return message!
  }

  /** Like openMessage, but a deleted message is gone: nothing is done to a tombstone. */
  static async openLiveMessage(user: User, messageId: number) {
    const opened = await this.openMessage(user, messageId)
    this.ensureLive(opened.message)
    return opened
  }

  static ensureLive(message: Pick<MessageRow, 'deleted_at'> | null | undefined) {
    if (!message || message.deleted_at !== null) {
      throw new MessagingNotFoundException('message')
    }
  }

  /** 403 E_FORBIDDEN unless ChannelPolicy allows the action. */
  static authorize<Action extends ChannelAbility>(
    action: Action,
    ...args: Parameters<ChannelPolicy[Action]>
  ) {
    const allowed = (policy[action] as (...input: unknown[]) => boolean).apply(policy, args)
    if (!allowed) {
      throw new ChannelForbiddenException(REFUSALS[action])
    }
  }

  /**
   * Whether the user's sockets may join the channel's room: members only.
   * Readers of a public channel they did not join fetch over REST; live
   * updates are for members.
   */
  static async canJoinRoom(user: User, channelId: number): Promise<boolean> {
    if (!user.isActive || !Number.isSafeInteger(channelId) || channelId <= 0) {
      return false
    }
    const row = await db
      .from(tables.members())
      .where({ channel_id: channelId, user_id: user.id })
      .select('user_id')
      .first()
    return row !== null
  }

  /** The caller's scope in the message's channel; an invisible channel hides the message. */
  static async #scopeOf(user: User, message: MessageRow) {
    try {
      return await this.open(user, message.channel_id)
    } catch (error) {
      if (error instanceof MessagingNotFoundException) {
        throw new MessagingNotFoundException('message')
      }
      throw error
    }
  }

  static #visible(user: User, channel: ChannelRow, membership: ChannelMembership | null) {
    if (!user.isActive) {
      return false
    }
    return membership !== null || (channel.kind === 'public' && user.role !== 'guest')
  }
}
