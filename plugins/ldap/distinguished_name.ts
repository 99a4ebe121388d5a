/** One `type=value` of a relative distinguished name. */
export interface DnAttribute {
  type: string
  value: string
}

const ATTRIBUTE_TYPE = /^([a-zA-Z][a-zA-Z0-9-]*|\d+(\.\d+)*)$/
const SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '=', ' ', '#'])

/**
 * Parses a distinguished name as RFC 4514 writes it
 * (`cn=Grace Hopper+uid=grace,ou=people,dc=acme,dc=test`, escapes `\,`
 * and `\2C`): a list of RDNs, the entry's own first. Throws on what is not
 * one.
 */
export function parseDn(text: string): DnAttribute[][] {
  const rdns: DnAttribute[][] = []
  let rdn: DnAttribute[] = []
  let index = 0
  const fail = (why: string): never => {
    throw new Error(`${why} at position ${index + 1}`)
  }
  if (text.trim() === '') {
    fail('empty DN')
  }
  while (index <= text.length) {
    const equals = text.indexOf('=', index)
    if (equals === -1) {
      fail('"=" expected')
    }
    const type = text.slice(index, equals).trim()
    if (!ATTRIBUTE_TYPE.test(type)) {
      fail(`"${type}" is not an attribute type`)
    }
    index = equals + 1
    // Unescaped spaces around a value are not part of it (RFC 4514 section 3).
    while (text[index] === ' ') {
      index += 1
    }
    let bytes: number[] = []
    let lastKept = 0
    let separator: string | null = null
    while (index < text.length) {
      const char = text[index]
      if (char === ',' || char === '+' || char === ';') {
        separator = char
        break
      }
      if (char === '\\') {
        const next = text.slice(index + 1, index + 3)
        if (/^[0-9a-fA-F]{2}$/.test(next)) {
          bytes.push(Number.parseInt(next, 16))
          index += 3
        } else if (SPECIAL.has(text[index + 1])) {
          bytes.push(text.charCodeAt(index + 1))
          index += 2
        } else {
          fail('invalid escape')
        }
        lastKept = bytes.length
        continue
      }
      if (char === '=' && bytes.length === 0) {
        fail('unexpected "="')
      }
      bytes.push(...Buffer.from(char, 'utf8'))
      if (char !== ' ') {
        lastKept = bytes.length
      }
      index += 1
    }
    bytes = bytes.slice(0, lastKept)
    const value = Buffer.from(bytes).toString('utf8')
    if (value === '') {
      fail(`"${type}" has no value`)
    }
    rdn.push({ type, value })
    if (separator !== '+') {
      rdns.push(rdn)
      rdn = []
    }
    index += 1
    if (separator === null) {
      break
    }
  }
  return rdns
}

/**
 * The form DNs are compared in: attribute types and values lower-cased
 * (directories match names case-insensitively), runs of spaces inside a
 * value collapsed, multi-valued RDNs in a fixed order, escapes written one
 * way. `CN=Admins, OU=Groups,DC=acme,DC=test` and
 * `cn=admins,ou=groups,dc=acme,dc=test` are the same group.
 */
export function normalizeDn(text: string): string {
  return parseDn(text)
    .map((rdn) =>
      rdn
        .map(
          (attribute) =>
            `${attribute.type.toLowerCase()}=${escapeDnValue(attribute.value.toLowerCase().replace(/\s+/g, ' '))}`
        )
        .sort()
        .join('+')
    )
    .join(',')
}

/** Two DNs name the same entry (see normalizeDn); a malformed one names nothing. */
export function sameDn(first: string, second: string) {
  try {
    return normalizeDn(first) === normalizeDn(second)
  } catch {
    return false
  }
}

/** A value as RFC 4514 section 2.4 writes it. */
export function escapeDnValue(value: string) {
  let escaped = ''
  for (const [position, char] of [...value].entries()) {
    const first = position === 0
    const last = position === [...value].length - 1
    if (
      ',+"\\<>;='.includes(char) ||
      (char === '#' && first) ||
      (char === ' ' && (first || last))
    ) {
      escaped += `\\${char}`
    } else if (char === '\0') {
      escaped += '\\00'
    } else {
      escaped += char
    }
  }
  return escaped
}
