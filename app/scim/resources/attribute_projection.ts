import type { ScimJson } from '#scim/input/canonical_resource'

/** Returned whatever `attributes` or `excludedAttributes` say (RFC 7643 "returned": "always"). */
const ALWAYS = ['schemas', 'id']

export interface Projection {
  attributes?: string[]
  excludedAttributes?: string[]
}

/** `?attributes=userName,name.givenName` as a list of paths. */
export function parseAttributeList(value: string | undefined) {
  const paths = value
    ?.split(',')
    .map((path) => path.trim())
    .filter(Boolean)
  return paths && paths.length > 0 ? paths : undefined
}

function keyOf(source: ScimJson, name: string) {
  const wanted = name.toLowerCase()
  return Object.keys(source).find((key) => key.toLowerCase() === wanted)
}

/**
 * Splits a path into resource keys: `name.givenName` -> [name, givenName];
 * `urn:...:enterprise:2.0:User:department` -> [urn, department]; a path
 * prefixed with the core schema's URN loses the prefix.
 */
function segmentsOf(path: string, resource: ScimJson, coreSchema: string): string[] {
  if (!path.toLowerCase().startsWith('urn:')) {
    return path.split('.')
  }
  if (keyOf(resource, path)) {
    return [path]
  }
  const separator = path.lastIndexOf(':')
  const urn = path.slice(0, separator)
  const rest = path.slice(separator + 1).split('.')
  return urn.toLowerCase() === coreSchema.toLowerCase() ? rest : [urn, ...rest]
}

function isObject(value: unknown): value is ScimJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function copyPath(source: unknown, segments: string[], target: ScimJson, name: string) {
  if (segments.length === 0 || source === undefined) {
    target[name] = source
    return
  }
  if (Array.isArray(source)) {
    const existing = (target[name] as ScimJson[] | undefined) ?? source.map(() => ({}))
    source.forEach((element, index) => {
      if (isObject(element)) copyInto(element, segments, existing[index])
    })
    target[name] = existing
  } else if (isObject(source)) {
    const existing = isObject(target[name]) ? target[name] : {}
    copyInto(source, segments, existing)
    target[name] = existing
  }
}

function copyInto(source: ScimJson, segments: string[], target: ScimJson) {
  const key = keyOf(source, segments[0])
  if (key) {
    copyPath(source[key], segments.slice(1), target, key)
  }
}

function removePath(target: unknown, segments: string[]) {
  if (Array.isArray(target)) {
    target.forEach((element) => removePath(element, segments))
    return
  }
  if (!isObject(target)) {
    return
  }
  const key = keyOf(target, segments[0])
  if (!key) {
    return
  }
  if (segments.length === 1) {
    delete target[key]
  } else {
    removePath(target[key], segments.slice(1))
  }
}

/**
 * The resource with only the requested attributes, or without the
 * excluded ones (RFC 7644 section 3.4.2.5). `schemas` and `id` always stay.
 */
export function projectAttributes(resource: ScimJson, projection: Projection, coreSchema: string) {
  if (projection.attributes) {
    const result: ScimJson = {}
    for (const path of [...ALWAYS, ...projection.attributes]) {
      copyInto(resource, segmentsOf(path, resource, coreSchema), result)
    }
    return result
  }
  if (projection.excludedAttributes) {
    const result = structuredClone(resource)
    for (const path of projection.excludedAttributes) {
      const segments = segmentsOf(path, resource, coreSchema)
      if (!ALWAYS.includes(segments[0]) || segments.length > 1) {
        removePath(result, segments)
      }
    }
    return result
  }
  return resource
}

/** Whether a projection leaves the attribute out, so it need not be read at all. */
export function projectionOmits(projection: Projection, attribute: string) {
  const wanted = attribute.toLowerCase()
  const names = (paths: string[]) => paths.map((path) => path.split('.')[0].toLowerCase())
  if (projection.attributes) {
    return !names(projection.attributes).includes(wanted)
  }
  return projection.excludedAttributes
    ? names(projection.excludedAttributes).includes(wanted)
    : false
}
