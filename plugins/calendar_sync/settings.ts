import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'

/** Tenant settings; all optional (README: Settings). */
export const settingsSchema = vine.object({
  /** Offered when a member connects without naming a server. */
  default_server_url: vine.string().url({ require_tld: false }).optional(),
  /** How often the schedule syncs each connection. */
  sync_interval_minutes: vine.number().withoutDecimals().range([5, 1440]).optional(),
})

export type CalendarSyncSettings = Infer<typeof settingsSchema>
