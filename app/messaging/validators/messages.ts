import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'
import { strictObject } from '#shared/validation/strict_object'
import { CLIENT_ID, MAX_MESSAGE_LENGTH } from '#messaging/message_body'
import { EMOJI, MAX_EMOJI_LENGTH } from '#messaging/emoji'
import { MAX_HISTORY_PAGE } from '#messaging/services/channel_history'
import { seq } from '#messaging/validators/fields'
import { entityId } from '#shared/validation/entity_id'

const body = () => vine.string().trim().minLength(1).maxLength(MAX_MESSAGE_LENGTH)

/**
 * `after_seq` alone: the catch-up feed. Otherwise scrollback of the top
 * level (`before_seq`), or of one thread (`thread_id`, paged with
 * `after_seq`).
 */
export const listMessagesValidator = vine.create({
  after_seq: seq().optional(),
  before_seq: seq().optional(),
  thread_id: entityId().optional(),
  limit: vine.number().withoutDecimals().min(1).max(MAX_HISTORY_PAGE).optional(),
})

export const postMessageValidator = vine.create(
  strictObject({
    body: body(),
    client_id: vine.string().regex(CLIENT_ID),
    thread_id: entityId().nullable().optional(),
  })
)

export const editMessageValidator = vine.create(strictObject({ body: body() }))

/** The `:emoji` of the URL (URL-encoded by the client). */
export const reactionValidator = vine.create({
  emoji: vine.string().maxLength(MAX_EMOJI_LENGTH).regex(EMOJI),
})

export const markReadValidator = vine.create(strictObject({ seq: seq() }))

export const listRevisionsValidator = vine.create({ ...pageFields })

export const listPinsValidator = vine.create({ ...pageFields })
