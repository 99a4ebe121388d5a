import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'

export const listAuditEventsValidator = vine.create({
  ...pageFields,
  action: vine.string().trim().maxLength(64).optional(),
  actor_id: vine.string().trim().maxLength(64).optional(),
  from: vine.date({ formats: { utc: true } }).optional(),
  to: vine.date({ formats: { utc: true } }).optional(),
})
