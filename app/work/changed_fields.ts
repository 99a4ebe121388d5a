import { isDeepStrictEqual } from 'node:util'
import string from '@adonisjs/core/helpers/string'
import type { FieldChanges } from '#work/events'

/**
 * The fields whose value differs between two serialized versions of a
 * model, as `{ field: { from, to } }`. Fields are named as the API shows
 * them (`due_date`); models serialize their properties (`dueDate`).
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: string[]
): FieldChanges {
  const changes: FieldChanges = {}
  for (const field of fields) {
    const property = string.camelCase(field)
    if (!isDeepStrictEqual(before[property], after[property])) {
      changes[field] = { from: before[property] ?? null, to: after[property] ?? null }
    }
  }
  return changes
}
