import { findAttribute, type ScimAttribute } from '#scim/schemas/attribute'
import { assertImmutableKept } from '#scim/patch/mutability'
import { isJsonObject, valueOf, withValue, type JsonObject } from '#scim/patch/json_value'

/**
 * Changes to one complex value (`name`, `manager`, one of the `emails`).
 * Sub-attributes not mentioned are left as they are: RFC 7644 section
 * 3.5.2.3 says so for replace, and add behaves alike on a complex value.
 */

/** `current` with each sub-attribute of `given` set; a null in `given` unassigns. */
export function mergeSubAttributes(
  attribute: ScimAttribute,
  current: unknown,
  given: JsonObject
): JsonObject {
  let merged = asObject(current)
  for (const [name, value] of Object.entries(given)) {
    const subAttribute = findAttribute(attribute.subAttributes, name)
    if (subAttribute) merged = setSubAttribute(subAttribute, merged, value)
  }
  return merged
}

/** `current` with one sub-attribute set, or unassigned when `value` is. */
export function setSubAttribute(
  subAttribute: ScimAttribute,
  current: unknown,
  value: unknown
): JsonObject {
  const object = asObject(current)
  assertImmutableKept(subAttribute, valueOf(object, subAttribute.name), value)
  return withValue(object, subAttribute.name, value)
}

function asObject(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {}
}
