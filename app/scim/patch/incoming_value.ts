import { findAttribute, type ScimAttribute } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { isJsonObject, isUnassigned, type JsonObject } from '#scim/patch/json_value'

/*
 * Values a client sent, shaped the way the resource stores them. Only the
 * shape changes: sub-attribute keys take their canonical spelling, and
 * sub-attributes the client cannot set are dropped (readOnly ones, which
 * RFC 7643 section 2.2 says are ignored on input, such as the `display` Okta
 * sends with each member; unknown ones, to be liberal). Values are kept as
 * given: coercing Entra's "False" is the validator's job, after the patch.
 */

/**
 * The sub-attributes given for the complex `attribute`. Nulls are kept:
 * merged into an existing value they unassign that sub-attribute.
 */
export function incomingSubAttributes(attribute: ScimAttribute, value: unknown): JsonObject {
  if (!isJsonObject(value)) {
    // Entra sends the enterprise `manager` as the bare id ("value": "271"):
    // a complex attribute with a `value` sub-attribute reads a bare value as that.
    const valueAttribute = findAttribute(attribute.subAttributes, 'value')
    if (valueAttribute && ['string', 'number', 'boolean'].includes(typeof value)) {
      return { [valueAttribute.name]: value }
    }
    throw ScimError.badRequest(
      'invalidValue',
      `${attribute.name} takes an object of sub-attributes`
    )
  }
  const given: JsonObject = {}
  for (const [key, subValue] of Object.entries(value)) {
    const subAttribute = findAttribute(attribute.subAttributes, key)
    if (subAttribute && subAttribute.mutability !== 'readOnly') given[subAttribute.name] = subValue
  }
  return given
}

/**
 * The new values given for the multi-valued `attribute`: one value or an
 * array of them. Unassigned sub-attributes are dropped, and so are values
 * left empty (a member given only a readOnly `display` adds nothing).
 */
export function incomingElements(attribute: ScimAttribute, value: unknown): unknown[] {
  const given = Array.isArray(value) ? value : [value]
  return given
    .filter((element) => !isUnassigned(element))
    .map((element) => (attribute.type === 'complex' ? newElement(attribute, element) : element))
    .filter((element) => !isUnassigned(element))
}

function newElement(attribute: ScimAttribute, value: unknown) {
  const element: JsonObject = {}
  for (const [name, subValue] of Object.entries(incomingSubAttributes(attribute, value))) {
    if (!isUnassigned(subValue)) element[name] = subValue
  }
  return element
}
