import { findAttribute, type ScimAttribute } from '#scim/schemas/attribute'
import { asBoolean } from '#scim/patch/value_comparison'
import { isJsonObject, valueOf, withValue } from '#scim/patch/json_value'

/**
 * At most one value of a multi-valued attribute is primary (RFC 7643
 * section 2.4), and an operation that makes a value primary clears the flag
 * on the others (RFC 7644 section 3.5.2). The last value the operation
 * `touched` that is primary keeps the flag; failing that, the first primary
 * value does. Losers get `primary: false`, as the RFC words it.
 */
export function settlePrimary(
  attribute: ScimAttribute,
  elements: unknown[],
  touched: unknown[]
): unknown[] {
  if (!findAttribute(attribute.subAttributes, 'primary')) return elements
  const keeper = touched.findLast(isPrimary) ?? elements.find(isPrimary)
  return elements.map((element) =>
    element !== keeper && isJsonObject(element) && isPrimary(element)
      ? withValue(element, 'primary', false)
      : element
  )
}

/** "True" counts: Entra sends booleans as strings, and they are only coerced after the patch. */
function isPrimary(element: unknown) {
  return asBoolean(valueOf(element, 'primary')) === true
}
