import vine from '@vinejs/vine'
import { canonicalResource, type ScimJson } from '#scim/input/canonical_resource'
import { enterpriseUserSchema, userSchema } from '#scim/schemas/user_schema'
import { ScimError } from '#scim/scim_error'

export const USER_SCHEMAS = { core: userSchema, extensions: [enterpriseUserSchema] }

const email = () => vine.string().trim().email().maxLength(254)
const text = (max: number) => vine.string().maxLength(max).optional()

/*
 * Limits on what is kept: what the member account needs, and bounds on
 * the rest so one user cannot grow without end.
 */
const userLimits = vine.create(
  vine
    .object({
      userName: vine.string().trim().minLength(1).maxLength(255),
      externalId: text(255),
      displayName: text(200),
      emails: vine
        .array(vine.object({ value: email() }).allowUnknownProperties())
        .maxLength(20)
        .optional(),
      phoneNumbers: vine.array(vine.any()).maxLength(20).optional(),
      addresses: vine.array(vine.any()).maxLength(10).optional(),
    })
    .allowUnknownProperties()
)

const MAX_STORED_BYTES = 16_384

/** A SCIM user body, checked and split into what the account and SCIM each keep. */
export interface UserInput {
  userName: string
  externalId: string | null
  active: boolean
  fullName: string
  email: string
  /** Every other attribute, canonical (name, emails, enterprise extension, ...). */
  attributes: ScimJson
}

function signInEmail(attributes: ScimJson, userName: string) {
  const emails = (attributes.emails ?? []) as { value: string; type?: string; primary?: boolean }[]
  const chosen =
    emails.find((entry) => entry.primary) ??
    emails.find((entry) => entry.type?.toLowerCase() === 'work') ??
    emails[0]
  if (chosen) {
    return chosen.value.toLowerCase()
  }
  if (vine.helpers.isEmail(userName)) {
    return userName.toLowerCase()
  }
  throw ScimError.badRequest(
    'invalidValue',
    'A user needs an email address: give emails, or a userName that is one'
  )
}

function fullNameOf(attributes: ScimJson, userName: string) {
  const name = (attributes.name ?? {}) as Record<string, string | undefined>
  const given = [name.givenName, name.familyName].filter(Boolean).join(' ')
  return ((attributes.displayName as string) || name.formatted || given || userName)
    .trim()
    .slice(0, 200)
}

export async function readUserInput(body: unknown): Promise<UserInput> {
  const canonical = canonicalResource(body, USER_SCHEMAS)
  if (typeof canonical.userName !== 'string') {
    throw ScimError.badRequest('invalidValue', 'userName is required')
  }
  await userLimits.validate(canonical)
  const { userName, externalId, active, displayName, ...attributes } = canonical
  if (JSON.stringify(attributes).length > MAX_STORED_BYTES) {
    throw ScimError.badRequest('invalidValue', 'The user has too many attribute values')
  }
  const trimmed = (userName as string).trim()
  return {
    userName: trimmed,
    externalId: (externalId as string | undefined) ?? null,
    active: active === undefined ? true : (active as boolean),
    fullName: fullNameOf({ ...attributes, displayName }, trimmed),
    email: signInEmail(attributes, trimmed),
    attributes,
  }
}
