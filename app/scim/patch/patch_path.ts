import { findAttribute, type ScimAttribute, type ScimSchema } from '#scim/schemas/attribute'
import { ScimError } from '#scim/scim_error'
import { commonAttributes } from '#scim/patch/common_attributes'
import { ValueFilter } from '#scim/patch/value_filter'
import type { ResourceSchemas } from '#scim/patch/patch_operation'

/**
 * A path naming one attribute (RFC 7644 section 3.5.2, `attrPath` or
 * `valuePath [subAttr]`), resolved to the canonical definitions: `schema` is
 * the schema defining it, which says where it lives in the resource.
 */
export interface AttributePath {
  kind: 'attribute'
  schema: ScimSchema
  attribute: ScimAttribute
  /** Which values of a multi-valued attribute the path selects. */
  filter?: ValueFilter
  subAttribute?: ScimAttribute
}

/**
 * A path that is a schema URN alone; its value is an object of that
 * schema's attributes (how clients address an extension as a whole).
 */
export interface SchemaPath {
  kind: 'schema'
  schema: ScimSchema
}

export type PatchPath = AttributePath | SchemaPath

/** ATTRNAME of RFC 7644 section 3.10, plus the `$ref` of RFC 7643. */
const attributeName = /^\$?[A-Za-z][\w-]*$/

/** Parses a PATCH operation's `path`; a path naming no attribute of the resource is an invalidPath. */
export function parsePatchPath(path: string, schemas: ResourceSchemas): PatchPath {
  const resolved = resolvePatchPath(path, schemas)
  if (!resolved) {
    throw ScimError.badRequest('invalidPath', `"${path}" names no attribute of this resource`)
  }
  return resolved
}

/**
 * Like `parsePatchPath`, but a path that names no known attribute yields
 * undefined, so keys of a path-less value can be skipped. Names match
 * case-insensitively (RFC 7643 section 2.1); malformed brackets and filters
 * are still errors.
 */
export function resolvePatchPath(path: string, schemas: ResourceSchemas): PatchPath | undefined {
  const qualified = qualify(path.trim(), schemas)
  if (!qualified) return undefined
  const { schema, rest, explicit } = qualified
  if (rest === '') return { kind: 'schema', schema }

  const parts = splitAttributePath(rest, path)
  if (!parts) return undefined
  const found = findDefinition(schema, parts.name, explicit, schemas)
  if (!found) return undefined
  const { attribute } = found

  let filter: ValueFilter | undefined
  if (parts.filter !== undefined) {
    if (!attribute.multiValued) {
      throw ScimError.badRequest(
        'invalidPath',
        `${attribute.name} is single-valued: a value filter selects values of a multi-valued attribute`
      )
    }
    filter = new ValueFilter(attribute, parts.filter)
  }

  let subAttribute: ScimAttribute | undefined
  if (parts.subName !== undefined) {
    subAttribute = findAttribute(attribute.subAttributes, parts.subName)
    if (!subAttribute) return undefined
    if (attribute.multiValued && !filter) {
      throw ScimError.badRequest(
        'invalidPath',
        `Say which ${attribute.name} to change, e.g. ${attribute.name}[type eq "work"].${subAttribute.name}`
      )
    }
  }

  return { kind: 'attribute', schema: found.schema, attribute, filter, subAttribute }
}

/**
 * Splits a leading schema URN off the path (`urn:...:enterprise:2.0:User:department`);
 * without one the path is relative to the core schema. The URN is matched
 * against the known schema ids, longest first, because URNs themselves
 * contain dots and colons.
 */
function qualify(path: string, schemas: ResourceSchemas) {
  if (!path.toLowerCase().startsWith('urn:')) {
    return { schema: schemas.core, rest: path, explicit: false }
  }
  const lowered = path.toLowerCase()
  const candidates = [schemas.core, ...schemas.extensions].sort((a, b) => b.id.length - a.id.length)
  for (const schema of candidates) {
    const id = schema.id.toLowerCase()
    if (lowered.startsWith(id) && (lowered.length === id.length || lowered[id.length] === ':')) {
      return { schema, rest: path.slice(id.length + 1), explicit: true }
    }
  }
  return undefined
}

/** `name`, `name.sub`, `name[filter]` or `name[filter].sub`; undefined when the names cannot be attribute names. */
function splitAttributePath(rest: string, path: string) {
  const open = rest.indexOf('[')
  if (open === -1) {
    const [name, subName, ...more] = rest.split('.')
    return more.length === 0 && isName(name) && isOptionalName(subName)
      ? { name, subName, filter: undefined }
      : undefined
  }
  const close = closingBracket(rest, open, path)
  const after = rest.slice(close + 1)
  if (after !== '' && !after.startsWith('.')) {
    throw ScimError.badRequest('invalidPath', `Unexpected "${after}" after the filter in "${path}"`)
  }
  const name = rest.slice(0, open)
  const subName = after === '' ? undefined : after.slice(1)
  return isName(name) && isOptionalName(subName)
    ? { name, subName, filter: rest.slice(open + 1, close) }
    : undefined
}

/** The index of the `]` closing the filter opened at `open`, skipping brackets inside quoted strings. */
function closingBracket(text: string, open: number, path: string) {
  let quoted = false
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index]
    if (quoted) {
      if (char === '\\') index++
      else if (char === '"') quoted = false
    } else if (char === '"') {
      quoted = true
    } else if (char === ']') {
      return index
    } else if (char === '[') {
      break
    }
  }
  throw ScimError.badRequest('invalidPath', `Unbalanced brackets in "${path}"`)
}

function isName(name: string) {
  return attributeName.test(name)
}

function isOptionalName(name: string | undefined) {
  return name === undefined || isName(name)
}

/**
 * Finds the attribute in the schema the path is relative to. An unqualified
 * name the core schema lacks is looked up in the extensions too: RFC 7644
 * section 3.10 asks clients to qualify extension attributes, not every
 * client does, and no extension attribute here shares a core one's name.
 */
function findDefinition(
  schema: ScimSchema,
  name: string,
  explicit: boolean,
  schemas: ResourceSchemas
) {
  const own =
    schema.id === schemas.core.id ? [...commonAttributes, ...schema.attributes] : schema.attributes
  const attribute = findAttribute(own, name)
  if (attribute) return { schema, attribute }
  if (explicit) return undefined
  for (const extension of schemas.extensions) {
    const found = findAttribute(extension.attributes, name)
    if (found) return { schema: extension, attribute: found }
  }
  return undefined
}
