import { parse, type Filter } from 'scim2-parse-filter'
import { findAttribute, type ScimAttribute } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { sameScimValue } from '#scim/patch/scim_equality'
import { compareValues, isPresent, type ComparisonOperator } from '#scim/patch/value_comparison'
import { valueOf, type JsonObject } from '#scim/patch/json_value'

/** What a condition reads from an element: one of its sub-attributes, or the element itself for a multi-valued simple attribute. */
interface Operand {
  attribute: ScimAttribute
  key?: string
}

type Condition =
  | { kind: 'and' | 'or'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  | { kind: 'present'; operand: Operand }
  | {
      kind: 'compare'
      operator: ComparisonOperator
      operand: Operand
      expected: boolean | null | number | string
    }

/**
 * The filter between a PATCH path's brackets (`emails[type eq "work"]`),
 * checked against the attribute's sub-attributes when the path is parsed and
 * evaluated here rather than with the parser's own tester, which compares
 * with `===` and so ignores caseExact and the sub-attribute's type.
 *
 * RFC 7644 section 3.12 gives a bad path filter the scimType invalidFilter.
 */
export class ValueFilter {
  readonly #condition: Condition

  constructor(
    readonly attribute: ScimAttribute,
    text: string
  ) {
    let filter: Filter
    try {
      filter = parse(text)
    } catch {
      throw ScimError.badRequest('invalidFilter', `Cannot parse the filter "${text}"`)
    }
    this.#condition = compile(filter, attribute)
  }

  matches(element: unknown): boolean {
    return holds(this.#condition, element)
  }

  /**
   * The element a filter made only of `eq` comparisons joined by `and`
   * describes (`type eq "work"` gives `{ type: "work" }`), or undefined for
   * any other filter. Used to create the element an Entra upsert expects.
   */
  describedElement(): JsonObject | undefined {
    const element: JsonObject = {}
    return collectEqualities(this.#condition, element) ? element : undefined
  }
}

function compile(filter: Filter, attribute: ScimAttribute): Condition {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { kind: filter.op, conditions: filter.filters.map((f) => compile(f, attribute)) }
    case 'not':
      return { kind: 'not', condition: compile(filter.filter, attribute) }
    case '[]':
      throw ScimError.badRequest('invalidFilter', 'A value filter cannot contain another one')
    case 'pr':
      return { kind: 'present', operand: operandOf(attribute, filter.attrPath) }
    default: {
      const operand = operandOf(attribute, filter.attrPath)
      // RFC 7644 section 3.4.2.2: ordering a boolean is an invalidFilter.
      if (operand.attribute.type === 'boolean' && filter.op !== 'eq' && filter.op !== 'ne') {
        throw ScimError.badRequest(
          'invalidFilter',
          `${operand.attribute.name} is a boolean: only eq and ne apply`
        )
      }
      return { kind: 'compare', operator: filter.op, operand, expected: filter.compValue }
    }
  }
}

function operandOf(attribute: ScimAttribute, name: string): Operand {
  if (!attribute.subAttributes) {
    if (name.toLowerCase() === 'value') return { attribute }
    throw ScimError.badRequest('invalidFilter', `Filter ${attribute.name} values with "value"`)
  }
  const subAttribute = findAttribute(attribute.subAttributes, name)
  if (!subAttribute) {
    throw ScimError.badRequest('invalidFilter', `${attribute.name} has no sub-attribute "${name}"`)
  }
  return { attribute: subAttribute, key: subAttribute.name }
}

function holds(condition: Condition, element: unknown): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.conditions.every((c) => holds(c, element))
    case 'or':
      return condition.conditions.some((c) => holds(c, element))
    case 'not':
      return !holds(condition.condition, element)
    case 'present':
      return isPresent(read(condition.operand, element))
    case 'compare': {
      const { operator, operand, expected } = condition
      return compareValues(operator, operand.attribute, read(operand, element), expected)
    }
  }
}

function read(operand: Operand, element: unknown) {
  return operand.key === undefined ? element : valueOf(element, operand.key)
}

function collectEqualities(condition: Condition, into: JsonObject): boolean {
  if (condition.kind === 'and') return condition.conditions.every((c) => collectEqualities(c, into))
  if (condition.kind !== 'compare' || condition.operator !== 'eq') return false
  const { operand, expected } = condition
  // An element the client could not have written itself is not described.
  if (operand.key === undefined || expected === null) return false
  if (operand.attribute.mutability === 'readOnly') return false
  const already = into[operand.key]
  if (already !== undefined && !sameScimValue(operand.attribute, already, expected)) return false
  into[operand.key] = expected
  return true
}
