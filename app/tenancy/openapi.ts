import type { JSONSchema7 } from 'json-schema'
import { defineOperations } from '#shared/openapi/operation'
import { resource } from '#shared/openapi/schemas'
import { createOrganizationValidator } from '#tenancy/validators/organization'

export const tenancySchemas: Record<string, JSONSchema7> = {
  Organization: {
    type: 'object',
    required: ['id', 'slug', 'name', 'url', 'token', 'admin'],
    properties: {
      id: { type: 'integer' },
      slug: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string', description: 'Where the new workspace is served' },
      token: { type: 'string', description: "The admin's access token, shown once" },
      admin: { $ref: '#/components/schemas/Member' },
    },
  },
}

export const tenancyOperations = defineOperations({
  'organizations.store': {
    summary: 'Self-service signup: create a workspace and its first owner (bare domain only)',
    tag: 'Organizations',
    authenticated: false,
    tenant: false,
    body: createOrganizationValidator,
    responses: {
      201: { description: 'Workspace created', schema: resource('Organization') },
      409: { description: 'Slug taken (E_TENANT_EXISTS)' },
      429: { description: 'Too many signups from this address' },
    },
  },
})
