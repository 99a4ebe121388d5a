import vine from '@vinejs/vine'
import { passwordRule } from '#identity/validators/members'

export const createOrganizationValidator = vine.create({
  slug: vine.string().trim().toLowerCase().minLength(2).maxLength(41),
  name: vine.string().trim().minLength(1).maxLength(200),
  admin: vine.object({
    email: vine.string().trim().email().maxLength(254),
    password: passwordRule(),
    full_name: vine.string().trim().minLength(1).maxLength(200),
  }),
})
