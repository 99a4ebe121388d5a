import type { Compare, Filter, Suffix, ValuePath } from 'scim2-parse-filter'
import { ScimError } from '#scim/scim_error'

/** A comparison of one attribute: eq, ne, co, ..., or pr. */
export type Comparison = Compare | Suffix

export function invalidFilter(detail: string) {
  return ScimError.badRequest('invalidFilter', detail)
}

export function valuePathsInOrder(filter: Filter): ValuePath[] {
  const below = childrenOf(filter).flatMap(valuePathsInOrder)
  return filter.op === '[]' ? [filter, ...below] : below
}

export function childrenOf(filter: Filter): Filter[] {
  switch (filter.op) {
    case 'and':
    case 'or':
      return filter.filters
    case 'not':
      return [filter.filter]
    case '[]':
      return [filter.valFilter]
    default:
      return []
  }
}

export function isComparison(filter: Filter | undefined): filter is Comparison {
  return filter !== undefined && !['and', 'or', 'not', '[]'].includes(filter.op)
}
