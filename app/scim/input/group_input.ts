import vine from '@vinejs/vine'
import { canonicalResource } from '#scim/input/canonical_resource'
import { groupSchema } from '#scim/schemas/group_schema'
import { ScimError } from '#scim/scim_error'

export const GROUP_SCHEMAS = { core: groupSchema, extensions: [] }

/** Members of one group; an IdP's largest groups fit, a runaway request does not. */
const MAX_MEMBERS = 50_000

const groupLimits = vine.create(
  vine
    .object({
      displayName: vine.string().trim().minLength(1).maxLength(255),
      externalId: vine.string().maxLength(255).optional(),
      members: vine
        .array(vine.object({ value: vine.string().maxLength(64) }).allowUnknownProperties())
        .maxLength(MAX_MEMBERS)
        .optional(),
    })
    .allowUnknownProperties()
)

export interface GroupInput {
  displayName: string
  externalId: string | null
  /** Member user ids, without duplicates. */
  memberIds: number[]
}

export async function readGroupInput(body: unknown): Promise<GroupInput> {
  const canonical = canonicalResource(body, GROUP_SCHEMAS)
  if (typeof canonical.displayName !== 'string') {
    throw ScimError.badRequest('invalidValue', 'displayName is required')
  }
  const group = await groupLimits.validate(canonical)
  const members = (group.members ?? []) as { value: string; type?: string }[]
  const memberIds = new Set<number>()
  for (const member of members) {
    if (member.type && member.type.toLowerCase() !== 'user') {
      throw ScimError.badRequest('invalidValue', 'Groups hold users only, not other groups')
    }
    if (!/^\d{1,18}$/.test(member.value)) {
      throw ScimError.badRequest('invalidValue', `No user ${member.value} in this workspace`)
    }
    memberIds.add(Number(member.value))
  }
  return {
    displayName: group.displayName,
    externalId: group.externalId ?? null,
    memberIds: [...memberIds],
  }
}
