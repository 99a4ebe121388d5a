import vine from '@vinejs/vine'

/*
 * Field rules shared by the messaging validators.
 */

/** A position in a channel's sequence. */
export const seq = () => vine.number().withoutDecimals().min(0)

/** Members named in one request (channel creation, adding members). */
export const MAX_MEMBERS_PER_REQUEST = 100
