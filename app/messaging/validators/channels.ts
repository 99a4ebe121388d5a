import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'
import { strictObject } from '#shared/validation/strict_object'
import { MAX_DIRECT_MEMBERS } from '#messaging/services/direct_messages'
import { MAX_MEMBERS_PER_REQUEST } from '#messaging/validators/fields'
import { entityId } from '#shared/validation/entity_id'

const name = () => vine.string().trim().minLength(1).maxLength(80)
const topic = () => vine.string().trim().maxLength(250).nullable().optional()
const userIds = (max: number) => vine.array(entityId()).minLength(1).maxLength(max).distinct()

export const createChannelValidator = vine.create(
  strictObject({
    name: name(),
    type: vine.enum(['public', 'private']),
    member_ids: vine.array(entityId()).maxLength(MAX_MEMBERS_PER_REQUEST).distinct().optional(),
    topic: topic(),
  })
)

export const updateChannelValidator = vine.create(
  strictObject({
    name: name().optional(),
    topic: topic(),
    archived: vine.boolean().optional(),
  })
)

export const listChannelsValidator = vine.create({
  ...pageFields,
  /** `joined` (default): the caller's channels; `browsable`: public channels to join. */
  scope: vine.enum(['joined', 'browsable']).optional(),
})

export const addChannelMembersValidator = vine.create(
  strictObject({ user_ids: userIds(MAX_MEMBERS_PER_REQUEST) })
)

export const listChannelMembersValidator = vine.create({ ...pageFields })

/** The other members (listing the caller too is allowed). */
export const openDirectMessageValidator = vine.create(
  strictObject({ user_ids: userIds(MAX_DIRECT_MEMBERS) })
)
