import vine from '@vinejs/vine'
import { pageFields } from '#shared/pagination'

export const activityFeedValidator = vine.create({ ...pageFields })
