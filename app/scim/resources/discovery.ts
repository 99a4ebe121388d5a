import type { ScimSchema } from '#scim/schemas/attribute'
import { enterpriseUserSchema, userSchema } from '#scim/schemas/user_schema'
import { groupSchema } from '#scim/schemas/group_schema'
import { URN } from '#scim/schemas/urns'
import { SCIM_MAX_RESULTS } from '#scim/validators/scim_requests'

/*
 * The discovery resources of RFC 7644 section 4 / RFC 7643 sections 5-7:
 * what this server supports, described from the same definitions that
 * drive it.
 */

export const SCHEMAS: ScimSchema[] = [userSchema, enterpriseUserSchema, groupSchema]

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A SCIM token created by a workspace admin (POST /api/v1/scim/tokens)',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  }
}

export function resourceTypes(baseUrl: string) {
  const resourceType = (
    name: 'User' | 'Group',
    endpoint: string,
    schema: string,
    description: string,
    extensions: string[] = []
  ) => ({
    schemas: [URN.resourceType],
    id: name,
    name,
    endpoint,
    description,
    schema,
    ...(extensions.length > 0
      ? { schemaExtensions: extensions.map((id) => ({ schema: id, required: false })) }
      : {}),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
  })
  return [
    resourceType('User', '/Users', URN.user, 'Members of the workspace', [URN.enterpriseUser]),
    resourceType('Group', '/Groups', URN.group, 'Groups, mapped to roles and projects'),
  ]
}

export function schemaResource(schema: ScimSchema, baseUrl: string) {
  return {
    schemas: [URN.schema],
    ...schema,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  }
}
