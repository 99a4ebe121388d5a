import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { URN } from '#scim/schemas/urns'
import { pageFields } from '#shared/pagination'
import { entityId } from '#shared/validation/entity_id'
import { PROJECT_ROLES } from '#work/models/project_role'

/** Results per page unless the client asks (and at most): ServiceProviderConfig's filter.maxResults. */
export const SCIM_MAX_RESULTS = 1000
export const SCIM_DEFAULT_COUNT = 100

/*
 * Out-of-range startIndex and count are interpreted, not refused (RFC 7644
 * section 3.4.2.4): see listQueryOf.
 */
export const scimListValidator = vine.create({
  filter: vine.string().maxLength(4096).optional(),
  sortBy: vine.string().maxLength(300).optional(),
  sortOrder: vine.enum(['ascending', 'descending']).optional(),
  startIndex: vine.number().withoutDecimals().optional(),
  count: vine.number().withoutDecimals().optional(),
  attributes: vine.string().maxLength(2000).optional(),
  excludedAttributes: vine.string().maxLength(2000).optional(),
})

/** `?attributes=` and `?excludedAttributes=` of single-resource requests. */
export const scimProjectionValidator = vine.create({
  attributes: vine.string().maxLength(2000).optional(),
  excludedAttributes: vine.string().maxLength(2000).optional(),
})

/** A PatchOp message (RFC 7644 section 3.5.2): ops are interpreted by applyPatch. */
export const scimPatchValidator = vine.create(
  vine.object({
    schemas: vine.array(vine.string()).use(
      vine.createRule((value, _options, field) => {
        if (!(value as string[]).includes(URN.patchOp)) {
          field.report(`schemas must contain ${URN.patchOp}`, 'patchOp', field)
        }
      })()
    ),
    Operations: vine
      .array(
        vine
          .object({
            op: vine.string().maxLength(20),
            path: vine.string().maxLength(1000).optional(),
            value: vine.any().optional(),
          })
          .allowUnknownProperties()
      )
      .minLength(1)
      .maxLength(1000),
  })
)

export const createScimTokenValidator = vine.create(
  strictObject({
    name: vine.string().trim().minLength(1).maxLength(100),
    expires_in_days: vine.number().withoutDecimals().min(1).max(3650).optional(),
  })
)

export const listScimGroupsValidator = vine.create({ ...pageFields })

export const groupMappingValidator = vine.create(
  strictObject({
    role: vine.enum(['admin', 'member', 'guest']).nullable(),
    projects: vine
      .array(
        strictObject({
          project_id: entityId(),
          role: vine.enum(PROJECT_ROLES),
        })
      )
      .maxLength(100)
      .distinct('project_id'),
  })
)
