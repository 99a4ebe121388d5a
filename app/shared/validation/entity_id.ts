import vine from '@vinejs/vine'

/** The id of a row: a positive whole number. */
export const entityId = () => vine.number().withoutDecimals().positive()
