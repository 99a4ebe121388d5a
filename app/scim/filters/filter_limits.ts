import type { Filter } from 'scim2-parse-filter'
import { childrenOf, invalidFilter } from '#scim/filters/filter_tree'

/**
 * What one filter may ask of the database. The parser recurses and every
 * comparison on a multi-valued attribute is a subquery, so unbounded
 * filters cost far more than any identity provider needs: the largest
 * real ones are a few dozen ORed ids.
 */
export const FILTER_LIMITS = {
  /** Characters of filter text, checked before parsing. */
  length: 10_000,
  /** Levels of nesting: a comparison is one, each and/or/not/[] around it adds one. */
  depth: 10,
  /** Comparisons, pr included, in the whole filter. */
  comparisons: 50,
}

export function checkLimits(filter: Filter) {
  const { depth, comparisons } = measure(filter)
  if (depth > FILTER_LIMITS.depth) {
    throw invalidFilter(`The filter nests deeper than ${FILTER_LIMITS.depth} levels`)
  }
  if (comparisons > FILTER_LIMITS.comparisons) {
    throw invalidFilter(`The filter has more than ${FILTER_LIMITS.comparisons} comparisons`)
  }
}

function measure(filter: Filter): { depth: number; comparisons: number } {
  const children = childrenOf(filter)
  if (children.length === 0) {
    return { depth: 1, comparisons: 1 }
  }
  const measured = children.map(measure)
  return {
    depth: 1 + Math.max(...measured.map((child) => child.depth)),
    comparisons: measured.reduce((total, child) => total + child.comparisons, 0),
  }
}
