import { URN } from '#scim/schemas/urns'
import { meta } from '#scim/resources/scim_meta'
import type { ScimJson } from '#scim/input/canonical_resource'

export interface ScimGroupRow {
  id: string
  display_name: string
  external_id: string | null
  created_at: Date
  updated_at: Date
  /** null when the members were not read (excluded by the request). */
  members: { value: string; display: string }[] | null
}

/** RFC 7643 Group representation. */
export function groupResource(row: ScimGroupRow, baseUrl: string): ScimJson {
  const content: ScimJson = {
    schemas: [URN.group],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.display_name,
    ...(row.members
      ? {
          members: row.members.map((member) => ({
            ...member,
            $ref: `${baseUrl}/Users/${member.value}`,
            type: 'User',
          })),
        }
      : {}),
  }
  return {
    ...content,
    meta: meta(
      'Group',
      `${baseUrl}/Groups/${row.id}`,
      { created: row.created_at, lastModified: row.updated_at },
      content,
      'members'
    ),
  }
}
