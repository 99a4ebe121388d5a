import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { MAX_SNAPSHOT_IDS, MAX_STATUS_TEXT } from '#presence/presence'
import { strictObject } from '#shared/validation/strict_object'

const ID_PATTERN = '[1-9][0-9]{0,9}'
const ID = new RegExp(`^${ID_PATTERN}$`)

/** `1,2,3`: ids in a query string, at most `max` of them. */
const commaSeparatedIds = vine.createRule(
  (value: unknown, options: { max: number }, field: FieldContext) => {
    if (typeof value !== 'string') {
      return
    }
    const ids = value.split(',')
    if (!ids.every((id) => ID.test(id))) {
      field.report('The {{ field }} field must be user ids separated by commas', 'ids', field)
    } else if (ids.length > options.max) {
      field.report(`The {{ field }} field takes at most ${options.max} ids`, 'maxIds', field)
    }
  }
)

/** `?user_ids=1,2,3`: each distinct id once, in the order first given. */
export const presenceSnapshotValidator = vine.create({
  user_ids: vine
    .string()
    .trim()
    .use(commaSeparatedIds({ max: MAX_SNAPSHOT_IDS }))
    .meta({
      pattern: `^${ID_PATTERN}(,${ID_PATTERN})*$`,
      description: `Comma-separated user ids, at most ${MAX_SNAPSHOT_IDS}`,
      examples: ['12,15,31'],
    })
    .transform((value) => [...new Set(value.split(',').map(Number))]),
})

/** The caller's custom status text; null (or blank) clears it. */
export const statusTextValidator = vine.create(
  strictObject({
    text: vine.string().trim().maxLength(MAX_STATUS_TEXT).nullable(),
    expires_at: vine
      .date({ formats: { utc: true } })
      .after(() => new Date().toISOString(), { compare: 'millisecond' })
      // VineJS describes dates with no type; clients send ISO 8601 strings.
      .meta({ type: 'string', format: 'date-time' })
      .nullable()
      .optional(),
  })
)
