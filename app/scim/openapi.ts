import type { JSONSchema7 } from 'json-schema'
import { defineOperations, type OperationSpec } from '#shared/openapi/operation'
import { page, resource } from '#shared/openapi/schemas'
import {
  createScimTokenValidator,
  groupMappingValidator,
  listScimGroupsValidator,
  scimListValidator,
  scimPatchValidator,
} from '#scim/validators/scim_requests'
import { URN } from '#scim/schemas/urns'

const dateTime: JSONSchema7 = { type: 'string', format: 'date-time' }
const nullableDateTime: JSONSchema7 = { type: ['string', 'null'], format: 'date-time' }

/** A resource's shape is described by the server itself, at /scim/v2/Schemas. */
const scimResource = (name: string): JSONSchema7 => ({
  type: 'object',
  required: ['schemas', 'id', 'meta'],
  description: `A SCIM ${name} (RFC 7643); its attributes are listed at /scim/v2/Schemas`,
  additionalProperties: true,
  properties: {
    schemas: { type: 'array', items: { type: 'string' } },
    id: { type: 'string' },
    meta: { type: 'object' },
  },
})

export const scimSchemas: Record<string, JSONSchema7> = {
  ScimToken: {
    type: 'object',
    required: ['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'],
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      created_by: { type: ['integer', 'null'] },
      created_at: dateTime,
      expires_at: nullableDateTime,
      last_used_at: nullableDateTime,
      revoked_at: nullableDateTime,
      token: { type: 'string', description: 'Only in the answer to its creation: shown once' },
    },
  },
  ScimGroupMapping: {
    type: 'object',
    required: ['id', 'display_name', 'external_id', 'member_count', 'mapping'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      display_name: { type: 'string' },
      external_id: { type: ['string', 'null'] },
      member_count: { type: 'integer' },
      mapping: {
        type: 'object',
        properties: {
          role: { enum: ['admin', 'member', 'guest', null] },
          projects: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                project_id: { type: 'integer' },
                role: { enum: ['lead', 'member', 'viewer'] },
              },
            },
          },
        },
      },
    },
  },
  ScimUser: scimResource('User'),
  ScimGroup: scimResource('Group'),
  ScimListResponse: {
    type: 'object',
    required: ['schemas', 'totalResults', 'Resources'],
    properties: {
      schemas: { type: 'array', items: { const: URN.listResponse } },
      totalResults: { type: 'integer' },
      startIndex: { type: 'integer' },
      itemsPerPage: { type: 'integer' },
      Resources: { type: 'array', items: { type: 'object' } },
    },
  },
  ScimError: {
    type: 'object',
    required: ['schemas', 'status', 'detail'],
    description: 'RFC 7644 section 3.12',
    properties: {
      schemas: { type: 'array', items: { const: URN.error } },
      status: { type: 'string' },
      scimType: { type: 'string' },
      detail: { type: 'string' },
    },
  },
}

const described = (name: string) => ({
  toJSONSchema: (): JSONSchema7 => ({ $ref: `#/components/schemas/${name}` }),
})

function scim(
  summary: string,
  spec: Partial<OperationSpec> & Pick<OperationSpec, 'responses'>
): OperationSpec {
  return {
    summary,
    tag: 'SCIM 2.0',
    credential: 'scimToken',
    mediaType: 'application/scim+json',
    errorSchema: 'ScimError',
    pathTypes: { id: 'string' },
    ...spec,
  }
}

function resourceOperations(name: 'users' | 'groups', schema: 'ScimUser' | 'ScimGroup') {
  const noun = name === 'users' ? 'user' : 'group'
  const one = { 200: { description: `The ${noun}`, schema } }
  return {
    [`scim.${name}.index`]: scim(`List ${name} (filter, sortBy, startIndex, count, attributes)`, {
      query: scimListValidator,
      responses: {
        200: { description: 'A ListResponse', schema: 'ScimListResponse' },
        400: { description: 'Bad filter (invalidFilter) or sortBy (invalidValue)' },
      },
    }),
    [`scim.${name}.store`]: scim(`Create a ${noun}`, {
      body: described(schema),
      responses: {
        201: { description: `The new ${noun}, with Location and ETag`, schema },
        400: { description: 'Invalid attribute values (invalidValue)' },
        409: { description: 'uniqueness' },
      },
    }),
    [`scim.${name}.show`]: scim(`Read a ${noun} (If-None-Match answers 304)`, {
      responses: { ...one, 304: { description: 'Not modified' } },
    }),
    [`scim.${name}.update`]: scim(`Replace a ${noun} (If-Match)`, {
      body: described(schema),
      responses: {
        ...one,
        409: { description: 'uniqueness' },
        412: { description: 'Stale If-Match' },
      },
    }),
    [`scim.${name}.patch`]: scim(`Change a ${noun} with PATCH operations (If-Match)`, {
      body: scimPatchValidator,
      responses: {
        ...one,
        400: { description: 'invalidSyntax, invalidPath, invalidValue, mutability or noTarget' },
        412: { description: 'Stale If-Match' },
      },
    }),
    [`scim.${name}.destroy`]: scim(
      name === 'users'
        ? 'Deprovision a user: deactivates the member, keeps their content, 404 afterwards'
        : 'Delete a group (its users stay)',
      { responses: { 204: { description: 'Done' } } }
    ),
  }
}

const readOnly = scim('Discovery resources are read-only', {
  responses: { 405: { description: 'Method not allowed (Allow: GET)' } },
})
const notOffered = scim('Not offered by this server (see ServiceProviderConfig)', {
  responses: { 501: { description: 'Not implemented' } },
})

export const scimOperations = defineOperations({
  ...resourceOperations('users', 'ScimUser'),
  ...resourceOperations('groups', 'ScimGroup'),
  'scim.service_provider_config': scim('What this SCIM server supports', {
    responses: { 200: { description: 'ServiceProviderConfig (RFC 7643 section 5)' } },
  }),
  'scim.resource_types': scim('Resource types: User (with the enterprise extension), Group', {
    responses: {
      200: { description: 'A ListResponse of ResourceTypes', schema: 'ScimListResponse' },
    },
  }),
  'scim.resource_type': scim('One resource type', {
    pathTypes: { name: 'string' },
    responses: { 200: { description: 'The ResourceType' } },
  }),
  'scim.schemas': scim('The schemas of User, EnterpriseUser and Group', {
    responses: { 200: { description: 'A ListResponse of Schemas', schema: 'ScimListResponse' } },
  }),
  'scim.schema': scim('One schema, by URN', { responses: { 200: { description: 'The Schema' } } }),
  'scim.serviceproviderconfig.read_only': readOnly,
  'scim.serviceproviderconfig.item_read_only': readOnly,
  'scim.resourcetypes.read_only': readOnly,
  'scim.resourcetypes.item_read_only': readOnly,
  'scim.schemas.read_only': readOnly,
  'scim.schemas.item_read_only': readOnly,
  'scim.me': notOffered,
  'scim.bulk': notOffered,

  'scim_tokens.index': {
    summary: 'SCIM tokens of this workspace (admins and owners)',
    tag: 'Provisioning',
    responses: { 200: { description: 'Tokens, newest first, without secrets' } },
  },
  'scim_tokens.store': {
    summary: 'Create a SCIM token for an identity provider; the token is shown once',
    tag: 'Provisioning',
    body: createScimTokenValidator,
    responses: {
      201: { description: 'The token, with its secret', schema: resource('ScimToken') },
    },
  },
  'scim_groups.index': {
    summary: 'Groups provisioned by SCIM, with their size and mapping (admins and owners)',
    tag: 'Provisioning',
    query: listScimGroupsValidator,
    responses: { 200: { description: 'A page of groups', schema: page('ScimGroupMapping') } },
  },
  'scim_groups.mapping': {
    summary: 'Map a group to a workspace role and project roles; applied to its members at once',
    tag: 'Provisioning',
    pathTypes: { groupId: 'string' },
    body: groupMappingValidator,
    responses: {
      200: { description: 'The group and its mapping', schema: resource('ScimGroupMapping') },
      422: { description: 'A project that does not exist (E_INVALID_REFERENCE)' },
    },
  },
  'scim_tokens.destroy': {
    summary: 'Revoke a SCIM token at once',
    tag: 'Provisioning',
    responses: { 204: { description: 'Revoked' } },
  },
})
