import type { ScimSchema } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { resolvePatchPath, type AttributePath } from '#scim/patch/patch_path'
import { isJsonObject } from '#scim/patch/json_value'
import type { ResourceSchemas } from '#scim/patch/patch_operation'

export interface ValueTarget {
  path: AttributePath
  value: unknown
}

/**
 * The attributes named by the value of a path-less add or replace (RFC 7644
 * section 3.5.2.1: the value "contains a set of attributes"), or of a path
 * that is a schema URN, in the order given.
 *
 * Each key is read as a path of its own, because Entra sends keys such as
 * `name.givenName`, `emails[type eq "work"].value` and
 * `urn:...:enterprise:2.0:User:employeeNumber` next to plain names; a key
 * that is an extension URN holds an object of that extension's attributes.
 *
 * Keys naming no attribute of the resource are skipped rather than refused:
 * an IdP mapping an attribute we do not keep (a custom extension, say)
 * should not fail the whole PATCH. `schemas` is skipped too, since the
 * patch keeps it in step itself. A malformed filter in a key still fails.
 */
export function pathLessTargets(
  value: unknown,
  schemas: ResourceSchemas,
  within?: ScimSchema
): ValueTarget[] {
  if (!isJsonObject(value)) {
    throw ScimError.badRequest(
      'invalidValue',
      'Without a path, the value is an object of attributes'
    )
  }
  return Object.entries(value).flatMap(([key, attributeValue]): ValueTarget[] => {
    if (key.toLowerCase() === 'schemas') return []
    const qualified = within && !key.toLowerCase().startsWith('urn:') ? `${within.id}:${key}` : key
    const path = resolvePatchPath(qualified, schemas)
    if (!path) return []
    if (path.kind === 'schema') return pathLessTargets(attributeValue, schemas, path.schema)
    return [{ path, value: attributeValue }]
  })
}
