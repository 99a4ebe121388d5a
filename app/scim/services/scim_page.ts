import db from '@adonisjs/lucid/services/db'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { compileFilter } from '#scim/filters/compile_filter'
import { sortExpression } from '#scim/filters/sort_expression'
import type { FilterSchema } from '#scim/filters/filter_schema'

export interface ListQuery {
  filter?: string
  sortBy?: string
  sortOrder?: 'ascending' | 'descending'
  /** 1-based (RFC 7644 section 3.4.2.4). */
  startIndex: number
  count: number
}

export interface ResourceTable {
  /** `SELECT ... FROM ... WHERE <base condition> AND ` followed by the filter. */
  select: string
  /** `SELECT count(*)::int AS total FROM ... WHERE <base condition> AND ` followed by the filter. */
  count: string
  /** The key that breaks ties in any order, e.g. `u.id`. */
  key: string
  schema: FilterSchema
}

/**
 * One page of a filtered, sorted resource list and the total number of
 * matches, read concurrently (two queries, no transaction needed: a list
 * is a snapshot of a moment, as for any paging client).
 */
export async function scimPage<Row>(table: ResourceTable, query: ListQuery) {
  const filter = query.filter
    ? compileFilter(query.filter, table.schema)
    : { sql: 'true', bindings: [] }
  const order = query.sortBy ? sortExpression(query.sortBy, table.schema) : table.key
  const direction = query.sortOrder === 'descending' ? 'DESC' : 'ASC'
  const bindings = filter.bindings as unknown[]

  const [page, total] = await Promise.all([
    query.count === 0
      ? { rows: [] }
      : db.rawQuery(
          `${table.select} (${filter.sql})
           ORDER BY ${order} ${direction} NULLS LAST, ${table.key} ${direction}
           LIMIT ? OFFSET ?`,
          [...bindings, query.count, query.startIndex - 1] as RawQueryBindings
        ),
    db.rawQuery(`${table.count} (${filter.sql})`, bindings as RawQueryBindings),
  ])
  return { rows: page.rows as Row[], total: total.rows[0].total as number }
}
