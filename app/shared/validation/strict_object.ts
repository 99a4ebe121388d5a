import vine from '@vinejs/vine'
import type { FieldContext, SchemaTypes } from '@vinejs/vine/types'

/*
 * AdonisJS adds these to the data `request.validateUsing` validates; they
 * are never body fields.
 */
const REQUEST_METADATA = ['params', 'headers', 'cookies']

/**
 * Reports every key of the input that the schema does not declare, under
 * that key's own field name. VineJS drops unknown keys silently; a client
 * that misspells `due_date` deserves an error, not a task without one.
 */
const rejectUnknownFields = vine.createRule(
  (value: unknown, options: { known: string[] }, field: FieldContext) => {
    if (!vine.helpers.isObject(value)) {
      return
    }
    for (const key of Object.keys(value)) {
      if (options.known.includes(key) || REQUEST_METADATA.includes(key)) {
        continue
      }
      const parent = field.getFieldPath()
      const path = parent ? `${parent}.${key}` : key
      field.report('This field is not accepted here', 'unknownField', {
        ...field,
        name: key,
        wildCardPath: path,
        isArrayMember: false,
        getFieldPath: () => path,
      })
    }
  }
)

/** A VineJS object that rejects fields it does not declare. */
export function strictObject<Properties extends Record<string, SchemaTypes>>(
  properties: Properties
) {
  return vine.object(properties).use(rejectUnknownFields({ known: Object.keys(properties) }))
}
