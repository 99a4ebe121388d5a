import type { Compare } from 'scim2-parse-filter'
import { comparableSql, orderingSql } from '#scim/filters/attribute_path'
import { invalidFilter, type Comparison } from '#scim/filters/filter_tree'
import type {
  FilterValue,
  FilterValueType,
  ScalarFilterAttribute,
  SqlFragment,
} from '#scim/filters/filter_schema'

/** Which operators each type takes; gt/ge/lt/le on booleans are a 400 (RFC 7644 section 3.4.2.2). */
const OPERATORS: Record<FilterValueType, ReadonlyArray<Compare['op']>> = {
  string: ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'],
  boolean: ['eq', 'ne'],
  dateTime: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  integer: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  decimal: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
}

const ORDERINGS = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const

export function comparison(
  value: FilterValue & Pick<ScalarFilterAttribute, 'equality'>,
  filter: Comparison
): SqlFragment {
  if (filter.op === 'pr') {
    return { sql: presentSql(value), bindings: [] }
  }
  const { op, compValue, attrPath } = filter

  // Unassigned and null are the same state (RFC 7643 section 2.5).
  if (compValue === null && (op === 'eq' || op === 'ne')) {
    const present = presentSql(value)
    return { sql: op === 'eq' ? `(NOT ${present})` : present, bindings: [] }
  }
  if (!OPERATORS[value.type].includes(op)) {
    throw invalidFilter(`'${op}' does not apply to '${attrPath}', a ${value.type}`)
  }
  const binding = bindingFor(value.type, filter)

  const placeholder = { ...value, sql: '?' }
  const left = comparableSql(value)
  const right = comparableSql(placeholder)
  switch (op) {
    case 'eq':
      return value.equality
        ? indexedEquality(value.equality, binding)
        : { sql: `(${left} = ${right})`, bindings: [binding] }
    case 'ne':
      // Also true when the value is absent, so that "x ne v" and "not (x eq v)" agree.
      return { sql: `(${left} IS DISTINCT FROM ${right})`, bindings: [binding] }
    case 'co':
    case 'sw':
    case 'ew':
      return { sql: `(${left} LIKE ${right} ESCAPE '\\')`, bindings: [likePattern(op, binding)] }
    default:
      return {
        sql: `(${orderingSql(value)} ${ORDERINGS[op]} ${orderingSql(placeholder)})`,
        bindings: [binding],
      }
  }
}

/** The attribute's own `eq` SQL, with the value bound at each of its placeholders. */
function indexedEquality(
  equality: (placeholder: string) => string,
  binding: string | number | boolean
): SqlFragment {
  const sql = equality('?')
  const placeholders = sql.split('?').length - 1
  return { sql: `(${sql})`, bindings: Array.from({ length: placeholders }, () => binding) }
}

/**
 * pr: "has a non-empty value" (RFC 7644 section 3.4.2.2), so an empty
 * string is not present.
 */
function presentSql(value: FilterValue): string {
  return value.type === 'string'
    ? `((${value.sql}) IS NOT NULL AND (${value.sql})::text <> '')`
    : `((${value.sql}) IS NOT NULL)`
}

/** The compValue as bound for the attribute's type; a value of another JSON type is a 400. */
function bindingFor(type: FilterValueType, filter: Compare): string | number | boolean {
  const { compValue, attrPath } = filter
  switch (type) {
    case 'string':
      if (typeof compValue === 'string') return compValue
      break
    case 'boolean':
      if (typeof compValue === 'boolean') return compValue
      break
    case 'integer':
      if (typeof compValue === 'number' && Number.isInteger(compValue)) return compValue
      break
    case 'decimal':
      if (typeof compValue === 'number' && Number.isFinite(compValue)) return compValue
      break
    case 'dateTime': {
      const timestamp = typeof compValue === 'string' ? xsdDateTime(compValue) : undefined
      if (timestamp) return timestamp
      break
    }
  }
  const expected = type === 'dateTime' ? 'an xsd:dateTime string' : `a JSON ${type}`
  throw invalidFilter(`'${attrPath}' compares with ${expected}, not ${JSON.stringify(compValue)}`)
}

/** co/sw/ew take the compValue literally: its own %, _ and \ match only themselves. */
function likePattern(op: 'co' | 'sw' | 'ew', text: string | number | boolean) {
  const literal = String(text).replace(/[\\%_]/g, (character) => `\\${character}`)
  if (op === 'sw') return `${literal}%`
  if (op === 'ew') return `%${literal}`
  return `%${literal}%`
}

const XSD_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/

/**
 * An xsd:dateTime (RFC 7643 section 2.3.5) PostgreSQL reads the same way
 * whatever its TimeZone setting: one without an offset is taken as UTC.
 * Impossible dates are refused here rather than failing in the database.
 */
function xsdDateTime(text: string): string | undefined {
  const match = XSD_DATE_TIME.exec(text)
  if (!match) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  const [offsetHours, offsetMinutes] = [match[8], match[9]].map((part) => Number(part ?? 0))
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59
  if (!valid) return undefined
  return match[7] ? text : `${text}Z`
}

function daysInMonth(year: number, month: number) {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}
