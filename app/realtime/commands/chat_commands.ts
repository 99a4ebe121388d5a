import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { CLIENT_ID, MAX_MESSAGE_LENGTH } from '#messaging/message_body'
import { EMOJI, MAX_EMOJI_LENGTH } from '#messaging/emoji'
import { seq } from '#messaging/validators/fields'
import { entityId } from '#shared/validation/entity_id'
import { ChannelAccess } from '#messaging/services/channel_access'
import { ChannelHistory } from '#messaging/services/channel_history'
import { MessagingNotFoundException } from '#messaging/exceptions'
import type { MessagePosting } from '#messaging/services/message_posting'
import type { MessageEditing } from '#messaging/services/message_editing'
import type { MessageReactions } from '#messaging/services/message_reactions'
import type { ReadState } from '#messaging/services/read_state'
import { defineSocketCommand } from '#realtime/socket_command'
import type { ClientSocket } from '#realtime/socket_client'
import { rooms } from '#realtime/rooms'

/** Changes handed back by `channel:join` with `last_seq`; page on over REST. */
const CATCH_UP_PAGE = 200
/** A member's typing is forwarded at most this often per channel or thread. */
const TYPING_THROTTLE_MS = 2_000
/** How long clients show a typing indicator that is not refreshed. */
const TYPING_EXPIRES_MS = 6_000

const body = () => vine.string().trim().minLength(1).maxLength(MAX_MESSAGE_LENGTH)
const emoji = () => vine.string().maxLength(MAX_EMOJI_LENGTH).regex(EMOJI)
const channelRef = vine.create(strictObject({ channel_id: entityId() }))
const messageRef = vine.create(strictObject({ message_id: entityId() }))

export interface ChatServices {
  posting: MessagePosting
  editing: MessageEditing
  reactions: MessageReactions
  readState: ReadState
}

const lastTyped = new WeakMap<ClientSocket, Map<string, number>>()

/** A socket acts in a channel's room only after `channel:join` let it in. */
function ensureJoined(socket: ClientSocket, tenantId: number, channelId: number) {
  if (!socket.rooms.has(rooms.channel(tenantId, channelId))) {
    throw new MessagingNotFoundException('channel')
  }
}

/**
 * Chat over the socket. Every write goes through the same services as
 * the REST API (and so the same policies); the stored result comes back
 * in the acknowledgement and reaches the channel's room after COMMIT.
 */
export function chatCommands(services: ChatServices) {
  return [
    defineSocketCommand({
      event: 'channel:join',
      validator: vine.create(strictObject({ channel_id: entityId(), last_seq: seq().optional() })),
      async handle({ socket, user, tenant }, { channel_id: channelId, last_seq: lastSeq }) {
        if (!(await ChannelAccess.canJoinRoom(user, channelId))) {
          throw new MessagingNotFoundException('channel')
        }
        // Joined before reading: a change committed meanwhile is either
        // in the page or broadcast to this socket (or both; clients keep
        // the higher changed_seq of a message).
        await socket.join(rooms.channel(tenant.id, channelId))
        if (lastSeq === undefined) {
          return { channel_id: channelId }
        }
        const missed = await ChannelHistory.changesAfter(user, channelId, lastSeq, CATCH_UP_PAGE)
        return { channel_id: channelId, changes: missed.data, ...missed.meta }
      },
    }),
    defineSocketCommand({
      event: 'channel:leave',
      validator: channelRef,
      async handle({ socket, tenant }, { channel_id: channelId }) {
        await socket.leave(rooms.channel(tenant.id, channelId))
        return { channel_id: channelId }
      },
    }),
    defineSocketCommand({
      event: 'message:send',
      validator: vine.create(
        strictObject({
          channel_id: entityId(),
          body: body(),
          client_id: vine.string().regex(CLIENT_ID),
          thread_id: entityId().nullable().optional(),
        })
      ),
      async handle({ socket, user }, input) {
        return services.posting.post(
          user,
          input.channel_id,
          { body: input.body, clientId: input.client_id, threadId: input.thread_id },
          { exceptSocketId: socket.id }
        )
      },
    }),
    defineSocketCommand({
      event: 'message:edit',
      validator: vine.create(strictObject({ message_id: entityId(), body: body() })),
      handle: ({ user }, input) => services.editing.edit(user, input.message_id, input.body),
    }),
    defineSocketCommand({
      event: 'message:delete',
      validator: messageRef,
      handle: ({ user }, input) => services.editing.delete(user, input.message_id),
    }),
    defineSocketCommand({
      event: 'reaction:add',
      validator: vine.create(strictObject({ message_id: entityId(), emoji: emoji() })),
      handle: ({ user }, input) => services.reactions.add(user, input.message_id, input.emoji),
    }),
    defineSocketCommand({
      event: 'reaction:remove',
      validator: vine.create(strictObject({ message_id: entityId(), emoji: emoji() })),
      handle: ({ user }, input) => services.reactions.remove(user, input.message_id, input.emoji),
    }),
    defineSocketCommand({
      event: 'channel:read',
      validator: vine.create(strictObject({ channel_id: entityId(), seq: seq() })),
      handle: ({ user }, input) => services.readState.markRead(user, input.channel_id, input.seq),
    }),
    defineSocketCommand({
      event: 'typing',
      concurrent: true,
      validator: vine.create(
        strictObject({
          channel_id: entityId(),
          thread_id: entityId().nullable().optional(),
          stopped: vine.boolean().optional(),
        })
      ),
      handle({ socket, user, tenant }, input) {
        ensureJoined(socket, tenant.id, input.channel_id)
        const key = `${input.channel_id}:${input.thread_id ?? ''}`
        const times = lastTyped.get(socket) ?? new Map<string, number>()
        lastTyped.set(socket, times)
        const now = Date.now()
        if (!input.stopped && now - (times.get(key) ?? 0) < TYPING_THROTTLE_MS) {
          return { forwarded: false }
        }
        times.set(key, input.stopped ? 0 : now)
        socket.to(rooms.channel(tenant.id, input.channel_id)).emit('typing', {
          channel_id: input.channel_id,
          thread_id: input.thread_id ?? null,
          user_id: user.id,
          stopped: input.stopped ?? false,
          expires_in_ms: input.stopped ? 0 : TYPING_EXPIRES_MS,
        })
        return { forwarded: true }
      },
    }),
  ]
}
