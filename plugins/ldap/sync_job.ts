import type { PluginContext } from '#plugin-api'
import { directoryConfig } from './directory_config.js'
import { syncDirectory } from './directory_sync.js'
import type { LdapSettings } from './settings.js'
import { syncState } from './sync_lease.js'

/** A minute of slack, so a schedule that fires slightly early does not skip a whole period. */
const SLACK_MS = 60_000

/**
 * `jobs.sync`, queued by the 5-minute schedule for every workspace with
 * the plugin enabled: syncs when the workspace's `sync_every_minutes`
 * have passed since the last sync started. A directory that cannot be
 * reached is recorded (audit, GET /sync), not thrown: it is not the
 * plugin failing, and must not get it disabled for the workspace.
 */
export async function syncJob(context: PluginContext<LdapSettings>) {
  let config
  try {
    config = directoryConfig(context.settings)
  } catch {
    return
  }
  if (!config.sync.enabled) {
    return
  }
  const state = await syncState(context.db)
  const last = state?.last_started_at ? new Date(state.last_started_at).getTime() : 0
  if (Date.now() - last < config.sync.everyMinutes * 60_000 - SLACK_MS) {
    return
  }
  await syncDirectory(context, { trigger: 'schedule' })
}
