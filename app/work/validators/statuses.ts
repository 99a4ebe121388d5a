import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'

const name = () => vine.string().trim().minLength(1).maxLength(50)
const category = () => vine.enum(['todo', 'in_progress', 'done'])
const position = () => vine.number().withoutDecimals().min(0).max(1000)

export const createStatusValidator = vine.create(
  strictObject({ name: name(), category: category(), position: position().optional() })
)

export const updateStatusValidator = vine.create(
  strictObject({
    name: name().optional(),
    category: category().optional(),
    position: position().optional(),
  })
)
