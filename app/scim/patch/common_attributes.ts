import { attribute, type ScimAttribute } from '#scim/schemas/attribute'

const serverSet = { mutability: 'readOnly' } as const

/**
 * Attributes every resource has besides those of its core schema (RFC 7643
 * section 3.1), so that PATCH paths such as `externalId` or `meta.created`
 * resolve. `schemas` is readOnly for PATCH on purpose: the patch keeps it in
 * step with the extensions the resource uses, a client never edits it.
 */
export const commonAttributes: ScimAttribute[] = [
  attribute('schemas', 'reference', 'The schemas the resource uses', {
    ...serverSet,
    multiValued: true,
    required: true,
    caseExact: true,
  }),
  attribute('id', 'string', 'Identifier assigned by the service provider', {
    ...serverSet,
    caseExact: true,
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'Identifier assigned by the provisioning client', {
    caseExact: true,
  }),
  attribute('meta', 'complex', 'Metadata maintained by the service provider', {
    ...serverSet,
    subAttributes: [
      attribute('resourceType', 'string', 'The type of the resource', {
        ...serverSet,
        caseExact: true,
      }),
      attribute('created', 'dateTime', 'When the resource was created', serverSet),
      attribute('lastModified', 'dateTime', 'When the resource last changed', serverSet),
      attribute('location', 'reference', 'The URI of the resource', {
        ...serverSet,
        caseExact: true,
        referenceTypes: ['uri'],
      }),
      attribute('version', 'string', 'The version (ETag) of the resource', {
        ...serverSet,
        caseExact: true,
      }),
    ],
  }),
]
