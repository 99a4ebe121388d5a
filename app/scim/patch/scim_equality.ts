import { findAttribute, type ScimAttribute } from '#scim/schemas/attribute'
import { isJsonObject, isUnassigned, sameJson, valueOf } from '#scim/patch/json_value'

/**
 * Whether two values of `attribute` are the same value: strings compare
 * case-insensitively unless the attribute is caseExact (RFC 7643 section
 * 2.2), everything else structurally. No type coercion: `true` and "True"
 * are different values here.
 */
export function sameScimValue(attribute: ScimAttribute, left: unknown, right: unknown): boolean {
  if (typeof left === 'string' && typeof right === 'string' && !attribute.caseExact) {
    return left.toLowerCase() === right.toLowerCase()
  }
  return sameJson(left, right)
}

/**
 * Whether the element of the multi-valued `attribute` holds every
 * sub-attribute `given` states, with the same value; sub-attributes named in
 * `ignoring` are left out. A given element that states nothing matches
 * nothing, so an empty `{}` never selects (and removes) every member.
 */
export function holdsValues(
  attribute: ScimAttribute,
  element: unknown,
  given: unknown,
  ignoring: string[] = []
): boolean {
  if (!attribute.subAttributes) return sameScimValue(attribute, element, given)
  if (!isJsonObject(element) || !isJsonObject(given)) return false
  const stated = Object.entries(given).filter(
    ([name, value]) => !ignoring.includes(name) && !isUnassigned(value)
  )
  return (
    stated.length > 0 &&
    stated.every(([name, value]) => {
      const subAttribute = findAttribute(attribute.subAttributes, name)
      return (
        subAttribute !== undefined && sameScimValue(subAttribute, valueOf(element, name), value)
      )
    })
  )
}
