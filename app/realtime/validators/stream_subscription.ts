import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'

export const streamSubscriptionValidator = vine.create(
  strictObject({
    uid: vine.string().uuid(),
    channel: vine.string().minLength(1).maxLength(200),
  })
)
