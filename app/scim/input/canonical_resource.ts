import type { ScimAttribute, ScimSchema } from '#scim/schemas/attribute'
import { attribute, findAttribute } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'

export type ScimJson = Record<string, unknown>

/*
 * Incoming resources (POST, PUT, or the result of a PATCH) as the server
 * keeps them: attribute names in their canonical spelling (names are
 * case-insensitive, RFC 7643 section 2.1), values of the declared types.
 *
 * Liberal where real identity providers need it: booleans sent as strings
 * ("False" from Microsoft Entra), numbers where strings are declared, a
 * lone object where an array is declared. Read-only and unknown
 * attributes are ignored (RFC 7644 section 3.3), null means unassigned.
 */

const EXTERNAL_ID = attribute('externalId', 'string', 'Identifier at the client', {
  caseExact: true,
})

function isObject(value: unknown): value is ScimJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(path: string, expected: string): never {
  throw ScimError.badRequest('invalidValue', `${path} must be ${expected}`)
}

function simpleValue(definition: ScimAttribute, value: unknown, path: string): unknown {
  switch (definition.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        return value.trim().toLowerCase() === 'true'
      }
      return invalid(path, 'a boolean')
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'string' ? Number(value) : value
      if (typeof number !== 'number' || !Number.isFinite(number)) return invalid(path, 'a number')
      if (definition.type === 'integer' && !Number.isInteger(number)) {
        return invalid(path, 'an integer')
      }
      return number
    }
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        return invalid(path, 'an ISO 8601 date-time')
      }
      return new Date(value).toISOString()
    default:
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      if (typeof value !== 'string') return invalid(path, 'a string')
      return value
  }
}

function singleValue(definition: ScimAttribute, value: unknown, path: string): unknown {
  if (definition.type !== 'complex') {
    return simpleValue(definition, value, path)
  }
  if (!isObject(value)) {
    return invalid(path, 'an object')
  }
  const result = canonicalAttributes(definition.subAttributes ?? [], value, path)
  return Object.keys(result).length > 0 ? result : undefined
}

function attributeValue(definition: ScimAttribute, value: unknown, path: string): unknown {
  if (value === null || value === undefined) {
    return undefined
  }
  if (!definition.multiValued) {
    return singleValue(definition, value, path)
  }
  const elements = Array.isArray(value) ? value : [value]
  const result = elements
    .map((element, index) => singleValue(definition, element, `${path}[${index}]`))
    .filter((element) => element !== undefined)
  return result.length > 0 ? result : undefined
}

function canonicalAttributes(definitions: ScimAttribute[], input: ScimJson, path: string) {
  const result: ScimJson = {}
  for (const [key, value] of Object.entries(input)) {
    const definition = findAttribute(definitions, key)
    if (!definition || definition.mutability === 'readOnly') {
      continue
    }
    const canonical = attributeValue(definition, value, path ? `${path}.${definition.name}` : key)
    if (canonical !== undefined) {
      result[definition.name] = canonical
    }
  }
  return result
}

/**
 * The canonical form of a resource body: core attributes at the top,
 * each extension's under its URN, plus externalId.
 */
export function canonicalResource(
  input: unknown,
  schemas: { core: ScimSchema; extensions: ScimSchema[] }
): ScimJson {
  if (!isObject(input)) {
    throw ScimError.badRequest('invalidSyntax', 'The request body must be a JSON object')
  }
  const corePrefix = `${schemas.core.id.toLowerCase()}:`
  const core: ScimJson = {}
  const extensions = new Map<ScimSchema, ScimJson>()
  let externalId: string | undefined

  for (const [key, value] of Object.entries(input)) {
    const lower = key.toLowerCase()
    const extension = schemas.extensions.find((schema) => schema.id.toLowerCase() === lower)
    if (extension) {
      if (value !== null && !isObject(value)) invalid(key, 'an object')
      if (value) extensions.set(extension, { ...extensions.get(extension), ...value })
    } else if (lower === 'externalid') {
      if (value !== null && value !== undefined) {
        externalId = simpleValue(EXTERNAL_ID, value, 'externalId') as string
      }
    } else {
      core[lower.startsWith(corePrefix) ? key.slice(corePrefix.length) : key] = value
    }
  }

  const result: ScimJson = canonicalAttributes(schemas.core.attributes, core, '')
  if (externalId !== undefined) {
    result.externalId = externalId
  }
  for (const [schema, values] of extensions) {
    const canonical = canonicalAttributes(schema.attributes, values, schema.id)
    if (Object.keys(canonical).length > 0) {
      result[schema.id] = canonical
    }
  }
  return result
}
