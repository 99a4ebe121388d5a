import { ScimError } from '#scim/scim_error'
import {
  elementValue,
  findSubAttribute,
  orderingSql,
  resolveAttributePath,
} from '#scim/filters/attribute_path'
import type { FilterSchema } from '#scim/filters/filter_schema'

/**
 * The SQL to ORDER BY for a sortBy (RFC 7644 section 3.4.2.3), ordered
 * as gt/lt filters compare: strings by code point, case-insensitively
 * unless caseExact. The caller adds ASC/DESC and where absent values go.
 *
 * A multi-valued attribute sorts by its primary element's value. The RFC
 * falls back to "the first value in the list", but elements read from a
 * table have no order, so without a primary element the lowest value
 * stands in: the same for every request, which paging needs.
 */
export function sortExpression(sortBy: string, schema: FilterSchema): string {
  const target = resolveAttributePath(sortBy, schema)
  if (!target) {
    throw ScimError.badRequest('invalidValue', `Cannot sort by unknown attribute '${sortBy}'`)
  }
  if (target.kind === 'scalar') {
    return orderingSql(target.attribute)
  }

  const { attribute, subAttribute } = target
  const alias = 'scim_sort_element'
  const key = orderingSql(elementValue(subAttribute, alias))
  const primary = findSubAttribute(attribute, 'primary')
  const order =
    primary?.type === 'boolean' ? [`(${primary.sql(alias)})::boolean IS TRUE DESC`, key] : [key]
  const where = attribute.where ? ` WHERE ${attribute.where(alias)}` : ''
  return `(SELECT ${key} FROM ${attribute.from(alias)}${where} ORDER BY ${order.join(', ')} LIMIT 1)`
}
