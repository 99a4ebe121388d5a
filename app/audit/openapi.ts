import type { JSONSchema7 } from 'json-schema'
import { defineOperations } from '#shared/openapi/operation'
import { page } from '#shared/openapi/schemas'
import { listAuditEventsValidator } from '#audit/validators/audit_events'

const nullableString: JSONSchema7 = { type: ['string', 'null'] }

export const auditSchemas: Record<string, JSONSchema7> = {
  AuditEvent: {
    type: 'object',
    required: ['id', 'seq', 'occurred_at', 'actor', 'action', 'target', 'metadata'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      seq: { type: 'integer' },
      occurred_at: { type: 'string', format: 'date-time' },
      actor: {
        type: 'object',
        properties: { type: { enum: ['user', 'system', 'operator'] }, id: nullableString },
      },
      action: { type: 'string', examples: ['auth.login', 'member.deactivated'] },
      target: {
        oneOf: [
          { type: 'null' },
          { type: 'object', properties: { type: { type: 'string' }, id: nullableString } },
        ],
      },
      ip: nullableString,
      user_agent: nullableString,
      metadata: { type: 'object' },
    },
  },
}

export const auditOperations = defineOperations({
  'audit_events.index': {
    summary: 'Audit trail, newest first (admins and owners)',
    tag: 'Audit',
    query: listAuditEventsValidator,
    responses: { 200: { description: 'A page of audit events', schema: page('AuditEvent') } },
  },
})
