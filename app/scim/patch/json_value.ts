export type JsonObject = Record<string, unknown>

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * RFC 7643 section 2.5: an unassigned attribute, null and an empty array are
 * the same state. An empty object (a complex value with no sub-attribute
 * left) is treated alike, so removing the last sub-attribute of `name`
 * removes `name`.
 */
export function isUnassigned(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (Array.isArray(value)) return value.length === 0
  return isJsonObject(value) && Object.keys(value).length === 0
}

/** The value under `name` in `object`, whatever the case of its key (RFC 7643 section 2.1). */
export function valueOf(object: unknown, name: string): unknown {
  if (!isJsonObject(object)) return undefined
  const wanted = name.toLowerCase()
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted)
  return key === undefined ? undefined : object[key]
}

/**
 * A copy of `object` with `name` holding `value` under that exact spelling
 * (any differently cased key is dropped), or without it when the value is
 * unassigned. The key keeps its place, so output reads like the input.
 */
export function withValue(object: JsonObject, name: string, value: unknown): JsonObject {
  const wanted = name.toLowerCase()
  const copy: JsonObject = {}
  let placed = isUnassigned(value)
  for (const [key, existing] of Object.entries(object)) {
    if (key.toLowerCase() !== wanted) {
      copy[key] = existing
    } else if (!placed) {
      copy[name] = value
      placed = true
    }
  }
  if (!placed) copy[name] = value
  return copy
}

/** Structural equality of two JSON values. */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => sameJson(item, right[index]))
  }
  if (isJsonObject(left) && isJsonObject(right)) {
    const keys = Object.keys(left)
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => key in right && sameJson(left[key], right[key]))
    )
  }
  return false
}
