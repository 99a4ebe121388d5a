import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'
import { strictObject } from '#shared/validation/strict_object'
import { MAX_COMMENT } from '#work/validators/fields'

const body = () => vine.string().trim().minLength(1).maxLength(MAX_COMMENT)

export const postCommentValidator = vine.create(strictObject({ body: body() }))

export const editCommentValidator = vine.create(strictObject({ body: body() }))

export const listCommentsValidator = vine.create({ ...pageFields })
