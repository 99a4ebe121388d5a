import { isDeepStrictEqual } from 'node:util'
import type { FieldChanges } from '#work/events'

/**
 * The fields whose value differs between two serialized versions of a
 * resource, as `{ field: { from, to } }`.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: string[]
): FieldChanges {
  const changes: FieldChanges = {}
  for (const field of fields) {
    if (!isDeepStrictEqual(before[field], after[field])) {
      changes[field] = { from: before[field] ?? null, to: after[field] ?? null }
    }
  }
  return changes
}
