import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'
import { strictObject } from '#shared/validation/strict_object'
import { calendarDate } from '#work/validators/fields'
import { entityId } from '#shared/validation/entity_id'

const projectKey = () =>
  vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9]{1,9}$/)

const description = () => vine.string().trim().maxLength(10_000).nullable().optional()

export const createProjectValidator = vine.create(
  strictObject({
    name: vine.string().trim().minLength(1).maxLength(200),
    key: projectKey(),
    description: description(),
    status: vine.enum(['active', 'archived']).optional(),
    start_date: calendarDate().nullable().optional(),
    end_date: calendarDate().nullable().optional(),
    lead_id: entityId().nullable().optional(),
  })
)

export const updateProjectValidator = vine.create(
  strictObject({
    name: vine.string().trim().minLength(1).maxLength(200).optional(),
    key: projectKey().optional(),
    description: description(),
    status: vine.enum(['active', 'archived']).optional(),
    start_date: calendarDate().nullable().optional(),
    end_date: calendarDate().nullable().optional(),
    lead_id: entityId().nullable().optional(),
  })
)

export const listProjectsValidator = vine.create({
  ...pageFields,
  status: vine.enum(['active', 'archived']).optional(),
})

export const addProjectMemberValidator = vine.create(
  strictObject({
    user_id: entityId(),
    role: vine.enum(['lead', 'member', 'viewer']),
  })
)

export const listProjectMembersValidator = vine.create({ ...pageFields })
