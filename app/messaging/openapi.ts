import type { JSONSchema7 } from 'json-schema'
import { defineOperations } from '#shared/openapi/operation'
import { page, resource } from '#shared/openapi/schemas'
import {
  addChannelMembersValidator,
  createChannelValidator,
  listChannelMembersValidator,
  listChannelsValidator,
  openDirectMessageValidator,
  updateChannelValidator,
} from '#messaging/validators/channels'
import {
  editMessageValidator,
  listMessagesValidator,
  listPinsValidator,
  listRevisionsValidator,
  markReadValidator,
  postMessageValidator,
} from '#messaging/validators/messages'

const dateTime: JSONSchema7 = { type: 'string', format: 'date-time' }
const nullableDateTime: JSONSchema7 = { type: ['string', 'null'], format: 'date-time' }
const nullableInteger: JSONSchema7 = { type: ['integer', 'null'] }
const ids: JSONSchema7 = { type: 'array', items: { type: 'integer' } }

export const messagingSchemas: Record<string, JSONSchema7> = {
  Channel: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      type: { enum: ['public', 'private', 'direct'] },
      name: { type: ['string', 'null'], description: 'null for direct messages' },
      topic: { type: ['string', 'null'] },
      created_by: nullableInteger,
      member_ids: {
        type: ['array', 'null'],
        items: { type: 'integer' },
        description: 'Direct messages only: the fixed member set',
      },
      archived: { type: 'boolean' },
      archived_at: nullableDateTime,
      last_seq: { type: 'integer', description: 'Seq of the latest change in the channel' },
      role: {
        enum: ['owner', 'member', null],
        description: "The caller's role; null when they did not join",
      },
      last_read_seq: nullableInteger,
      unread_count: {
        type: ['integer', 'null'],
        description:
          'Top-level messages after last_read_seq, not the caller’s, not deleted (GET /channels and GET /channels/:id; null elsewhere)',
      },
      mention_count: {
        type: ['integer', 'null'],
        description: 'Messages and replies after last_read_seq mentioning the caller or @channel',
      },
      created_at: dateTime,
      updated_at: dateTime,
    },
  },
  ChannelMember: {
    type: 'object',
    properties: {
      user_id: { type: 'integer' },
      full_name: { type: 'string' },
      role: { enum: ['owner', 'member'] },
      joined_at: dateTime,
    },
  },
  Message: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      channel_id: { type: 'integer' },
      seq: { type: 'integer', description: 'Position in the channel, from 1, without gaps' },
      changed_seq: { type: 'integer', description: 'Seq of the latest change to this message' },
      thread_id: { ...nullableInteger, description: 'The thread root; null at the top level' },
      sender_id: { type: 'integer' },
      client_id: { type: 'string' },
      body: { type: ['string', 'null'], description: 'null once deleted; <@id> mentions' },
      mention_ids: ids,
      mentions_channel: { type: 'boolean', description: '@channel or @here' },
      reactions: {
        type: 'array',
        items: {
          type: 'object',
          properties: { emoji: { type: 'string' }, count: { type: 'integer' }, user_ids: ids },
        },
      },
      reply_count: { type: 'integer' },
      last_reply_at: nullableDateTime,
      pinned: { type: 'boolean' },
      pinned_by: nullableInteger,
      pinned_at: nullableDateTime,
      edited_at: nullableDateTime,
      deleted: { type: 'boolean' },
      deleted_at: nullableDateTime,
      created_at: dateTime,
    },
  },
  MessagePage: {
    type: 'object',
    required: ['data', 'meta'],
    properties: {
      data: { type: 'array', items: { $ref: '#/components/schemas/Message' } },
      meta: {
        type: 'object',
        properties: {
          next_after_seq: {
            ...nullableInteger,
            description: 'Changes feed and threads: send as after_seq for the next page',
          },
          next_before_seq: {
            ...nullableInteger,
            description: 'Top-level scrollback: send as before_seq for the next page',
          },
          has_more: { type: 'boolean' },
        },
      },
    },
  },
  ReadState: {
    type: 'object',
    properties: { channel_id: { type: 'integer' }, last_read_seq: { type: 'integer' } },
  },
}

const notFound = { description: 'No such channel or message, or not visible to the caller' }
const forbidden = { description: 'Visible, but the caller may not do this (E_FORBIDDEN)' }
const archived = { description: 'The channel is archived (E_CHANNEL_ARCHIVED)' }
const nameTaken = { description: 'Another channel has this name (E_CHANNEL_NAME_TAKEN)' }
const message = { description: 'The message', schema: resource('Message') }

export const messagingOperations = defineOperations({
  'channels.index': {
    summary:
      'scope=joined (default): my channels and direct messages with read state; scope=browsable: public channels to join (not guests)',
    tag: 'Channels',
    query: listChannelsValidator,
    responses: {
      200: { description: 'A page of channels', schema: page('Channel') },
      403: forbidden,
    },
  },
  'channels.store': {
    summary: 'Create a public or private channel; the creator owns it (not guests)',
    tag: 'Channels',
    body: createChannelValidator,
    idempotent: true,
    responses: {
      201: { description: 'The new channel', schema: resource('Channel') },
      403: { description: 'Guests cannot create channels' },
      409: nameTaken,
    },
  },
  'channels.show': {
    summary: 'One channel, with the read state of a member',
    tag: 'Channels',
    responses: { 200: { description: 'The channel', schema: resource('Channel') }, 404: notFound },
  },
  'channels.update': {
    summary: 'Rename, set the topic, archive or unarchive (channel owners and admins)',
    tag: 'Channels',
    body: updateChannelValidator,
    responses: {
      200: { description: 'The channel', schema: resource('Channel') },
      403: forbidden,
      404: notFound,
      409: nameTaken,
    },
  },
  'channels.destroy': {
    summary: 'Delete a channel and all its messages (channel owners and admins)',
    tag: 'Channels',
    responses: { 204: { description: 'Deleted' }, 403: forbidden, 404: notFound },
  },
  'channel_members.index': {
    summary: "A channel's members",
    tag: 'Channels',
    query: listChannelMembersValidator,
    responses: {
      200: { description: 'A page of members', schema: page('ChannelMember') },
      404: notFound,
    },
  },
  'channel_members.store': {
    summary: 'Add members (members, owners, admins; a full member may add only themself to join)',
    tag: 'Channels',
    body: addChannelMembersValidator,
    responses: {
      200: { description: 'All were members already', schema: page('ChannelMember') },
      201: { description: 'The named members, some added', schema: page('ChannelMember') },
      403: forbidden,
      404: notFound,
      409: archived,
    },
  },
  'channel_members.destroy': {
    summary: 'Remove a member (owners and admins), or leave (oneself)',
    tag: 'Channels',
    responses: { 204: { description: 'Removed' }, 403: forbidden, 404: notFound },
  },
  'direct_messages.store': {
    summary: 'Open the direct conversation with these members (2 to 9 with the caller)',
    tag: 'Channels',
    body: openDirectMessageValidator,
    responses: {
      200: { description: 'It existed already', schema: resource('Channel') },
      201: { description: 'Created', schema: resource('Channel') },
    },
  },
  'messages.index': {
    summary:
      'after_seq: changes feed (catch-up) in changed_seq order; otherwise top-level scrollback (before_seq), or a thread (thread_id, paged with after_seq)',
    tag: 'Messages',
    query: listMessagesValidator,
    responses: { 200: { description: 'A page of messages', schema: 'MessagePage' }, 404: notFound },
  },
  'messages.store': {
    summary: 'Post a message or a thread reply (members); idempotent on client_id',
    tag: 'Messages',
    body: postMessageValidator,
    responses: {
      200: {
        description: 'This client_id was posted before: the stored message',
        schema: resource('Message'),
      },
      201: { description: 'Posted', schema: resource('Message') },
      403: { description: 'Not a member of the channel (E_FORBIDDEN)' },
      404: notFound,
      409: archived,
    },
  },
  'messages.show': {
    summary: 'One message (a tombstone once deleted)',
    tag: 'Messages',
    responses: { 200: message, 404: notFound },
  },
  'messages.update': {
    summary: 'Edit a message (its author); the previous text becomes a revision',
    tag: 'Messages',
    body: editMessageValidator,
    responses: { 200: message, 403: forbidden, 404: notFound, 409: archived },
  },
  'messages.destroy': {
    summary: 'Delete a message (its author, channel owners, admins): it becomes a tombstone',
    tag: 'Messages',
    responses: { 204: { description: 'Deleted' }, 403: forbidden, 404: notFound, 409: archived },
  },
  'messages.revisions': {
    summary: 'What a message said before each edit, oldest first',
    tag: 'Messages',
    query: listRevisionsValidator,
    responses: {
      200: { description: 'A page of revisions', schema: page('Revision') },
      404: notFound,
    },
  },
  'message_reactions.update': {
    summary: 'React with a URL-encoded emoji or :short_name: (members)',
    tag: 'Messages',
    responses: {
      200: { description: 'The caller had this reaction already', schema: resource('Message') },
      201: { description: 'Added', schema: resource('Message') },
      403: forbidden,
      404: notFound,
      409: archived,
      422: { description: 'Not an emoji, or 50 different ones already (E_TOO_MANY_REACTIONS)' },
    },
  },
  'message_reactions.destroy': {
    summary: "Remove one's reaction (members)",
    tag: 'Messages',
    responses: { 204: { description: 'Gone' }, 403: forbidden, 404: notFound, 409: archived },
  },
  'message_pins.index': {
    summary: "A channel's pinned messages, latest first",
    tag: 'Messages',
    query: listPinsValidator,
    responses: { 200: { description: 'A page of messages', schema: page('Message') } },
  },
  'message_pins.store': {
    summary: 'Pin a message (members)',
    tag: 'Messages',
    responses: { 200: message, 403: forbidden, 404: notFound, 409: archived },
  },
  'message_pins.destroy': {
    summary: 'Unpin a message (members)',
    tag: 'Messages',
    responses: { 204: { description: 'Unpinned' }, 403: forbidden, 404: notFound, 409: archived },
  },
  'channel_reads.store': {
    summary: 'Mark the channel read up to a seq (members); never moves back',
    tag: 'Channels',
    body: markReadValidator,
    responses: {
      200: { description: 'The read state', schema: resource('ReadState') },
      403: forbidden,
      404: notFound,
    },
  },
})
