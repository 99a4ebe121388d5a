import vine from '@vinejs/vine'
import { entityId } from '#shared/validation/entity_id'
import { DateTime } from 'luxon'

/*
 * Field rules shared by the work module's validators.
 */

/** A calendar date, 'YYYY-MM-DD' in and out. */
export const calendarDate = () =>
  vine.date({ formats: ['YYYY-MM-DD'] }).transform((date) => DateTime.fromJSDate(date).toISODate()!)

/** A workflow status by name (case-insensitive) or by id. */
export const statusReference = () =>
  vine.unionOfTypes([entityId(), vine.string().trim().minLength(1).maxLength(50)])

export const MAX_LABELS = 20
export const MAX_ASSIGNEES = 20
export const MAX_TITLE = 500
export const MAX_DESCRIPTION = 50_000
export const MAX_COMMENT = 10_000

export const labels = () =>
  vine.array(vine.string().trim().minLength(1).maxLength(50)).maxLength(MAX_LABELS).distinct()

export const assigneeIds = () => vine.array(entityId()).maxLength(MAX_ASSIGNEES).distinct()

/** Optimistic concurrency in the body, for clients that cannot set If-Match. */
export const expectedVersion = () => vine.number().withoutDecimals().positive().optional()
