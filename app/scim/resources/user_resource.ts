import { URN } from '#scim/schemas/urns'
import type { ScimJson } from '#scim/input/canonical_resource'
import { meta } from '#scim/resources/scim_meta'

/** A member as the SCIM queries read it: the account joined with what SCIM keeps. */
export interface ScimUserRow {
  id: string
  email: string
  full_name: string
  status: 'active' | 'deactivated'
  created_at: Date
  last_modified: Date
  user_name: string | null
  external_id: string | null
  attributes: Record<string, unknown> | null
  groups: { value: string; display: string }[] | null
}

/**
 * RFC 7643 User representation of a member. Members who were never
 * provisioned by SCIM (the owner who signed up, invited members) are
 * users too, with their email as userName: an IdP looking them up by
 * userName links them instead of creating duplicates.
 */
export function userResource(row: ScimUserRow, baseUrl: string): ScimJson {
  const attributes = row.attributes ?? {}
  const enterprise = attributes[URN.enterpriseUser]
  const content: ScimJson = {
    schemas: enterprise ? [URN.user, URN.enterpriseUser] : [URN.user],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.user_name ?? row.email,
    ...attributes,
    name: attributes.name ?? { formatted: row.full_name },
    displayName: row.full_name,
    active: row.status === 'active',
    emails: attributes.emails ?? [{ value: row.email, type: 'work', primary: true }],
    groups: (row.groups ?? []).map((group) => ({
      ...group,
      $ref: `${baseUrl}/Groups/${group.value}`,
      type: 'direct',
    })),
  }
  const location = `${baseUrl}/Users/${row.id}`
  return {
    ...content,
    meta: meta(
      'User',
      location,
      { created: row.created_at, lastModified: row.last_modified },
      content,
      'groups'
    ),
  }
}
