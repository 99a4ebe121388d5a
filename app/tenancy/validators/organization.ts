import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { passwordRule } from '#identity/validators/members'

const slugRule = () => vine.string().trim().minLength(2).maxLength(41)
const nameRule = () => vine.string().trim().minLength(1).maxLength(200)
const emailRule = () => vine.string().trim().email().maxLength(254)

/**
 * Self-service signup (POST /api/v1/organizations).
 */
export const createOrganizationValidator = vine.create(
  strictObject({
    // People type their company's name; operators get exactly what they typed.
    slug: slugRule().toLowerCase(),
    name: nameRule(),
    admin: strictObject({
      email: emailRule(),
      password: passwordRule(),
      full_name: vine.string().trim().minLength(1).maxLength(200),
    }),
  })
)

/**
 * Operator creation (tenant:create): the same rules, the password may be
 * generated.
 */
export const createTenantValidator = vine.create({
  slug: slugRule(),
  name: nameRule(),
  admin_email: emailRule(),
  admin_password: passwordRule().optional(),
  region: vine
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/)
    .optional(),
})
