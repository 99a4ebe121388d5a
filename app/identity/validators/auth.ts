import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'

export const loginValidator = vine.create(
  strictObject({
    email: vine.string().trim().email().maxLength(254),
    password: vine.string().minLength(1).maxLength(512),
  })
)

export const signInPolicyValidator = vine.create(
  strictObject({
    require_sso: vine.boolean({ strict: true }),
  })
)
