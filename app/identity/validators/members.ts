import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { pageFields } from '#shared/pagination'

export const passwordRule = () => vine.string().minLength(10).maxLength(512)

export const listMembersValidator = vine.create({
  ...pageFields,
  status: vine.enum(['active', 'deactivated']).optional(),
})

export const inviteMemberValidator = vine.create(
  strictObject({
    email: vine.string().trim().email().maxLength(254),
    role: vine.enum(['admin', 'member', 'guest']),
  })
)

export const acceptInvitationValidator = vine.create(
  strictObject({
    full_name: vine.string().trim().minLength(1).maxLength(200),
    password: passwordRule(),
  })
)

export const updateMemberValidator = vine.create(
  strictObject({
    role: vine.enum(['owner', 'admin', 'member', 'guest']),
  })
)
