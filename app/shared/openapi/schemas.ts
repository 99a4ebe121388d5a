import type { JSONSchema7 } from 'json-schema'

/*
 * Shapes shared by every module's responses (DESIGN.md section 8).
 */
export const sharedSchemas: Record<string, JSONSchema7> = {
  Error: {
    type: 'object',
    required: ['code', 'message'],
    properties: {
      code: { type: 'string', pattern: '^E_[A-Z_]+$' },
      message: { type: 'string' },
      field: { type: 'string' },
    },
  },
  Errors: {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'array', items: { $ref: '#/components/schemas/Error' } } },
  },
  PageMeta: {
    type: 'object',
    required: ['next_cursor'],
    properties: { next_cursor: { type: ['string', 'null'] } },
  },
  /** The text a comment or message had before one edit. */
  Revision: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      body: { type: 'string' },
      edited_by: { type: 'integer' },
      replaced_at: { type: 'string', format: 'date-time' },
    },
  },
}

/** `{ data: <schema> }` */
export function resource(schemaName: string): JSONSchema7 {
  return {
    type: 'object',
    required: ['data'],
    properties: { data: { $ref: `#/components/schemas/${schemaName}` } },
  }
}

/** `{ data: [<schema>], meta: { next_cursor } }` */
export function page(schemaName: string): JSONSchema7 {
  return {
    type: 'object',
    required: ['data', 'meta'],
    properties: {
      data: { type: 'array', items: { $ref: `#/components/schemas/${schemaName}` } },
      meta: { $ref: '#/components/schemas/PageMeta' },
    },
  }
}
