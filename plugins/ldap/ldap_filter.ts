import { isUtf8 } from 'node:buffer'
import {
  AndFilter,
  ApproximateFilter,
  EqualityFilter,
  ExtensibleFilter,
  type Filter,
  FilterParser,
  GreaterThanEqualsFilter,
  LessThanEqualsFilter,
  NotFilter,
  OrFilter,
  SubstringFilter,
} from 'ldapts'

/**
 * Escapes a value for an RFC 4515 filter: `*`, `(`, `)`, `\` and NUL must
 * be written `\XX`; every other byte outside printable ASCII is too (the
 * RFC allows it, and it keeps control characters and any non-ASCII
 * spelling out of the filter text). What a user types can then only ever
 * be one assertion value: `*` matches a literal star, never everyone.
 */
export function escapeFilterValue(value: string): string {
  let escaped = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte)
    if (
      byte < 0x20 ||
      byte > 0x7e ||
      char === '*' ||
      char === '(' ||
      char === ')' ||
      char === '\\'
    ) {
      escaped += `\\${byte.toString(16).padStart(2, '0')}`
    } else {
      escaped += char
    }
  }
  return escaped
}

/**
 * A filter template with each `{{name}}` replaced by its value, escaped.
 * Placeholders without a value are left for the caller's check to find.
 */
export function fillFilterTemplate(template: string, values: Record<string, string>) {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (placeholder, name: string) =>
    name in values ? escapeFilterValue(values[name]) : placeholder
  )
}

/**
 * A template for "every entry": `{{name}}` becomes `*`, so `(uid={{username}})`
 * turns into the presence filter `(uid=*)`.
 */
export function everyEntryFilter(template: string) {
  return template.replace(/\{\{[a-z_]+\}\}/g, '*')
}

/** `(&a b)` of filter strings, for narrowing one filter by another. */
export function bothFilters(first: string, second: string) {
  return `(&${wrap(first)}${wrap(second)})`
}

function wrap(filter: string) {
  return filter.startsWith('(') ? filter : `(${filter})`
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses an RFC 4515 filter into what ldapts sends. ldapts' parser turns
 * each `\XX` escape into one character (Latin-1), which would send the
 * escaped UTF-8 of `é` as two wrong characters; so every raw non-ASCII
 * character is escaped first, and after parsing, each value's characters
 * (all bytes now) are decoded as the UTF-8 they are. Throws on a syntax
 * error.
 */
export function compileFilter(text: string): Filter {
  if (text.includes('{{')) {
    throw new Error('A placeholder was left in the filter')
  }
  const asciiOnly = text.replace(/[^\x20-\x7e]/gu, (char) => escapeFilterValue(char))
  checkParentheses(asciiOnly)
  const filter = FilterParser.parseString(asciiOnly)
  decodeValues(filter)
  return filter
}

/**
 * ldapts' parser accepts a filter that misses its last `)`. Values carry
 * no raw parentheses (they must be escaped), so every one is structure:
 * they must balance, and close the whole filter exactly at its end.
 */
function checkParentheses(text: string) {
  let depth = 0
  for (const [position, char] of [...text].entries()) {
    if (char === '(') {
      depth += 1
    } else if (char === ')') {
      depth -= 1
      if (depth < 0 || (depth === 0 && position !== text.length - 1)) {
        throw new Error(`Unbalanced parentheses at position ${position + 1}`)
      }
    }
  }
  if (depth !== 0 || !text.startsWith('(')) {
    throw new Error('A filter is one parenthesized expression')
  }
}

function decodeValues(filter: Filter) {
  if (filter instanceof AndFilter || filter instanceof OrFilter) {
    filter.filters.forEach(decodeValues)
  } else if (filter instanceof NotFilter) {
    decodeValues(filter.filter)
  } else if (filter instanceof EqualityFilter) {
    // Binary assertion values (an AD objectGUID) are sent as the bytes they are.
    if (typeof filter.value === 'string') {
      const bytes = Buffer.from(filter.value, 'latin1')
      filter.value = isUtf8(bytes) ? utf8.decode(bytes) : bytes
    }
  } else if (filter instanceof SubstringFilter) {
    filter.initial = decodeBytes(filter.initial)
    filter.any = filter.any.map(decodeBytes)
    filter.final = decodeBytes(filter.final)
  } else if (
    filter instanceof GreaterThanEqualsFilter ||
    filter instanceof LessThanEqualsFilter ||
    filter instanceof ApproximateFilter ||
    filter instanceof ExtensibleFilter
  ) {
    filter.value = decodeBytes(filter.value)
  }
}

function decodeBytes(value: string) {
  try {
    return utf8.decode(Buffer.from(value, 'latin1'))
  } catch {
    throw new Error('A value in the filter is not UTF-8')
  }
}
