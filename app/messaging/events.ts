import { DomainEvent } from '#events/domain_event'
import type { ChannelKind } from '#messaging/tables'

/*
 * Domain events of the messaging module (payload version 1 each). Every
 * message event names its channel and carries the seq of the change
 * (`changed_seq`), so a subscriber can order them per channel and route
 * them without a lookup.
 */

type ChannelRef = { channel_id: number; kind: ChannelKind; name: string | null }
type MessageRef = { channel_id: number; message_id: number; thread_id: number | null }
export type FieldChanges = Record<string, { from: unknown; to: unknown }>

export class ChannelCreated extends DomainEvent<ChannelRef> {
  static readonly type = 'channel.created'
}

export class ChannelUpdated extends DomainEvent<ChannelRef & { changes: FieldChanges }> {
  static readonly type = 'channel.updated'
}

export class ChannelDeleted extends DomainEvent<ChannelRef> {
  static readonly type = 'channel.deleted'
}

export class ChannelMemberAdded extends DomainEvent<{
  channel_id: number
  user_id: number
  role: string
}> {
  static readonly type = 'channel.member_added'
}

export class ChannelMemberRemoved extends DomainEvent<{ channel_id: number; user_id: number }> {
  static readonly type = 'channel.member_removed'
}

export class MessagePosted extends DomainEvent<
  MessageRef & {
    seq: number
    sender_id: number
    mention_ids: number[]
    mentions_channel: boolean
  }
> {
  static readonly type = 'message.posted'
}

export class MessageEdited extends DomainEvent<
  MessageRef & {
    seq: number
    changed_seq: number
    mention_ids: number[]
    mentions_channel: boolean
  }
> {
  static readonly type = 'message.edited'
}

export class MessageDeleted extends DomainEvent<MessageRef & { seq: number; changed_seq: number }> {
  static readonly type = 'message.deleted'
}

export class MessageReactionAdded extends DomainEvent<
  MessageRef & { user_id: number; emoji: string; changed_seq: number }
> {
  static readonly type = 'message.reaction_added'
}

export class MessageReactionRemoved extends DomainEvent<
  MessageRef & { user_id: number; emoji: string; changed_seq: number }
> {
  static readonly type = 'message.reaction_removed'
}

export class MessagePinned extends DomainEvent<MessageRef & { changed_seq: number }> {
  static readonly type = 'message.pinned'
}

export class MessageUnpinned extends DomainEvent<MessageRef & { changed_seq: number }> {
  static readonly type = 'message.unpinned'
}
