import type { ScimAttribute } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { sameScimValue } from '#scim/patch/scim_equality'
import { isUnassigned } from '#scim/patch/json_value'
import type { AttributePath } from '#scim/patch/patch_path'

/*
 * RFC 7644 section 3.5.2: every operation must respect the mutability of
 * what it targets (RFC 7643 section 2.2), or fail with scimType mutability.
 */

export function isReadOnly(path: AttributePath) {
  return path.attribute.mutability === 'readOnly' || path.subAttribute?.mutability === 'readOnly'
}

/** A readOnly attribute (`id`, `meta`, a User's `groups`, ...) is the server's to set. */
export function assertNotReadOnly(path: AttributePath) {
  if (!isReadOnly(path)) return
  const name = [path.attribute.name, path.subAttribute?.name].filter(Boolean).join('.')
  throw ScimError.badRequest('mutability', `${name} is read-only`)
}

/**
 * An immutable attribute (a member's `value`) may get a value when it has
 * none, but never change or lose the one it has.
 */
export function assertImmutableKept(attribute: ScimAttribute, current: unknown, next: unknown) {
  if (attribute.mutability !== 'immutable' || isUnassigned(current)) return
  if (sameScimValue(attribute, current, next)) return
  throw ScimError.badRequest('mutability', `${attribute.name} is immutable once set`)
}
