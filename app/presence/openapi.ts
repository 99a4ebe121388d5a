import type { JSONSchema7 } from 'json-schema'
import { defineOperations } from '#shared/openapi/operation'
import { resource } from '#shared/openapi/schemas'
import { presenceSnapshotValidator, statusTextValidator } from '#presence/validators/presence'

const nullableDateTime: JSONSchema7 = { type: ['string', 'null'], format: 'date-time' }

export const presenceSchemas: Record<string, JSONSchema7> = {
  Presence: {
    type: 'object',
    required: ['user_id', 'status', 'text', 'text_expires_at', 'last_seen_at'],
    properties: {
      user_id: { type: 'integer' },
      status: {
        enum: ['online', 'away', 'offline'],
        description: 'online if any connection on any node is, else away if any is idle',
      },
      text: { type: ['string', 'null'], maxLength: 100 },
      text_expires_at: nullableDateTime,
      last_seen_at: {
        ...nullableDateTime,
        description: 'When the member went offline; null while online or away',
      },
    },
  },
}

export const presenceOperations = defineOperations({
  'presence.index': {
    summary: 'Presence of up to 500 members; ids that are no member read as offline',
    tag: 'Presence',
    query: presenceSnapshotValidator,
    responses: {
      200: {
        description: 'One entry per distinct id, in request order',
        schema: {
          type: 'object',
          required: ['data'],
          properties: {
            data: { type: 'array', items: { $ref: '#/components/schemas/Presence' } },
          },
        },
      },
    },
  },
  'presence.status': {
    summary: "Set or clear the caller's custom status text; it survives reconnects",
    tag: 'Presence',
    body: statusTextValidator,
    responses: { 200: { description: "The caller's presence", schema: resource('Presence') } },
  },
})
