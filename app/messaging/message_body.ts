import { mentionedIds } from '#shared/mentions'
import { MessagingInputException } from '#messaging/exceptions'

export const MAX_MESSAGE_LENGTH = 40_000

/** `@channel` or `@here` as a word of its own (not the middle of an address). */
const CHANNEL_MENTION = /(?<![\w@.])@(?:channel|here)(?![\w-])/i

/**
 * A message body as stored: trimmed, 1 to 40,000 characters, with the
 * members it mentions (`<@id>`, filtered to the channel's members when
 * stored) and whether it calls the whole channel. Checked here as well as
 * by the REST validators, because socket handlers call the services
 * directly.
 */
export function readMessageBody(body: string) {
  const text = typeof body === 'string' ? body.trim() : ''
  if (text.length === 0 || text.length > MAX_MESSAGE_LENGTH) {
    throw new MessagingInputException(
      'body',
      `A message has 1 to ${MAX_MESSAGE_LENGTH} characters (after trimming)`
    )
  }
  return { text, mentionIds: mentionedIds(text), mentionsChannel: CHANNEL_MENTION.test(text) }
}

/** A client's id for a post, unique per sender and channel: what makes a retry safe. */
export const CLIENT_ID = /^[\x21-\x7e]{1,100}$/

export function readClientId(clientId: string) {
  if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
    throw new MessagingInputException(
      'client_id',
      'A client id is 1 to 100 printable ASCII characters without spaces'
    )
  }
  return clientId
}

/**
 * SQL for the mentioned ids that belong to the channel (bindings: the
 * channel id, then the ids), or an empty array when there are none, so a
 * message without mentions costs no lookup.
 */
export function mentionedMembers(membersTable: string, channelId: number, ids: number[]) {
  if (ids.length === 0) {
    return { sql: `'{}'::int[]`, bindings: [] }
  }
  return {
    sql: `ARRAY(SELECT user_id FROM ${membersTable}
                 WHERE channel_id = ? AND user_id = ANY(?::bigint[]) ORDER BY user_id)::int[]`,
    bindings: [channelId, ids],
  }
}
