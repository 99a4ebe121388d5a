import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'
import { strictObject } from '#shared/validation/strict_object'
import {
  MAX_DESCRIPTION,
  MAX_TITLE,
  assigneeIds,
  calendarDate,
  expectedVersion,
  labels,
  statusReference,
} from '#work/validators/fields'
import { entityId } from '#shared/validation/entity_id'

const title = () => vine.string().trim().minLength(1).maxLength(MAX_TITLE)
const description = () => vine.string().maxLength(MAX_DESCRIPTION).nullable().optional()
const priority = () => vine.enum(['low', 'medium', 'high', 'urgent'])

export const createTaskValidator = vine.create(
  strictObject({
    title: title(),
    description: description(),
    status: statusReference().optional(),
    priority: priority().optional(),
    assignee_ids: assigneeIds().optional(),
    due_date: calendarDate().nullable().optional(),
    labels: labels().optional(),
    parent_id: entityId().nullable().optional(),
  })
)

export const updateTaskValidator = vine.create(
  strictObject({
    title: title().optional(),
    description: description(),
    status: statusReference().optional(),
    priority: priority().optional(),
    assignee_ids: assigneeIds().optional(),
    due_date: calendarDate().nullable().optional(),
    labels: labels().optional(),
    parent_id: entityId().nullable().optional(),
    version: expectedVersion(),
  })
)

export const setTaskStatusValidator = vine.create(
  strictObject({ status: statusReference(), version: expectedVersion() })
)

/**
 * Lands the task between two neighbours of the target project's board
 * (Jira's rank-before/after). Neither: last. `project_id` alone moves it
 * to the end of another project.
 */
export const moveTaskValidator = vine.create(
  strictObject({
    project_id: entityId().optional(),
    before_id: entityId().nullable().optional(),
    after_id: entityId().nullable().optional(),
    version: expectedVersion(),
  })
)

const dueRange = {
  due_before: calendarDate().optional(),
  due_after: calendarDate().optional(),
}

export const listTasksValidator = vine.create({
  ...pageFields,
  ...dueRange,
  status: vine.string().trim().minLength(1).maxLength(50).optional(),
  status_category: vine.enum(['todo', 'in_progress', 'done']).optional(),
  assignee: vine.unionOfTypes([entityId(), vine.literal('me')]).optional(),
  label: vine.string().trim().minLength(1).maxLength(50).optional(),
  q: vine.string().trim().minLength(1).maxLength(200).optional(),
  parent_id: entityId().optional(),
})

export const listMyTasksValidator = vine.create({
  ...pageFields,
  ...dueRange,
  status: vine.string().trim().minLength(1).maxLength(50).optional(),
  status_category: vine.enum(['todo', 'in_progress', 'done']).optional(),
})
