import type { ScimAttribute } from '#scim/schemas/attribute'

export type ComparisonOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le'

type Literal = boolean | null | number | string

/**
 * Compares a value of `attribute` with a filter literal the way RFC 7644
 * section 3.4.2.2 describes, by the attribute's type rather than by the JSON
 * type of what happens to be stored:
 * - strings (and references) ignore case unless the attribute is caseExact;
 * - booleans accept "true"/"false" in any case on either side, because Entra
 *   stores and sends "True"/"False" strings (values are not coerced before a
 *   PATCH is validated, so `primary eq true` must still find `"True"`);
 * - numbers accept numeric strings, dateTimes compare as instants.
 * A value that cannot be read as the attribute's type equals nothing.
 */
export function compareValues(
  operator: ComparisonOperator,
  attribute: ScimAttribute,
  actual: unknown,
  expected: Literal
): boolean {
  if (actual === undefined || actual === null || expected === null) {
    const same = (actual ?? null) === expected
    if (operator === 'eq') return same
    return operator === 'ne' ? !same : false
  }
  if (operator === 'co' || operator === 'sw' || operator === 'ew') {
    const text = asText(attribute, actual)
    const part = asText(attribute, expected)
    if (text === undefined || part === undefined) return false
    if (operator === 'co') return text.includes(part)
    return operator === 'sw' ? text.startsWith(part) : text.endsWith(part)
  }
  const left = asComparable(attribute, actual)
  const right = asComparable(attribute, expected)
  if (left === undefined || right === undefined) return operator === 'ne'
  const order = compareOrder(left, right)
  switch (operator) {
    case 'eq':
      return order === 0
    case 'ne':
      return order !== 0
    case 'gt':
      return order > 0
    case 'ge':
      return order >= 0
    case 'lt':
      return order < 0
    case 'le':
      return order <= 0
  }
}

/** Present means a non-empty value (RFC 7644 section 3.4.2.2, "pr"). */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false
  if (Array.isArray(value)) return value.length > 0
  return typeof value !== 'object' || Object.keys(value).length > 0
}

/** Reads "true"/"false" in any case as the boolean they spell; anything else is not a boolean. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string') return undefined
  const text = value.trim().toLowerCase()
  if (text === 'true') return true
  return text === 'false' ? false : undefined
}

function asComparable(attribute: ScimAttribute, value: unknown): number | string | undefined {
  switch (attribute.type) {
    case 'boolean': {
      const flag = asBoolean(value)
      return flag === undefined ? undefined : Number(flag)
    }
    case 'integer':
    case 'decimal':
      return asNumber(value)
    case 'dateTime': {
      const instant = typeof value === 'string' ? Date.parse(value) : Number.NaN
      return Number.isNaN(instant) ? undefined : instant
    }
    default:
      return asText(attribute, value)
  }
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const number = Number(value)
  return Number.isFinite(number) ? number : undefined
}

function asText(attribute: ScimAttribute, value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return undefined
  }
  const text = String(value)
  const folds =
    !attribute.caseExact && (attribute.type === 'string' || attribute.type === 'reference')
  return folds ? text.toLowerCase() : text
}

function compareOrder(left: number | string, right: number | string): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right
  const [a, b] = [String(left), String(right)]
  if (a === b) return 0
  return a < b ? -1 : 1
}
