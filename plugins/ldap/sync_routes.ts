import vine from '@vinejs/vine'
import { PluginError, type PluginRoute } from '#plugin-api'
import { directoryConfig } from './directory_config.js'
import { syncDirectory } from './directory_sync.js'
import { directoryUnavailable } from './directory_sign_in.js'
import type { LdapSettings } from './settings.js'
import { syncState } from './sync_lease.js'

const syncRequestValidator = vine.create(
  vine.object({
    /** Apply deactivations the safety rule held back as over the limit (never an empty answer's). */
    confirm_deactivations: vine.boolean().optional(),
  })
)

export const syncRoutes: PluginRoute<LdapSettings>[] = [
  {
    method: 'post',
    path: '/sync',
    auth: 'admin',
    summary: 'Runs the directory sync now and answers its summary',
    async handler(context, request) {
      const input = await syncRequestValidator.validate(request.body ?? {})
      const summary = await syncDirectory(context, {
        trigger: 'admin',
        confirmDeactivations: input.confirm_deactivations ?? false,
      })
      if (summary.status === 'already_running') {
        throw new PluginError('E_LDAP_SYNC_RUNNING', 'A directory sync is running already', 409)
      }
      if (summary.status === 'failed') {
        const error = directoryUnavailable()
        throw new PluginError(
          error.code,
          `The sync did not change anything: ${summary.reason} (${summary.errors[0] ?? ''})`,
          error.status
        )
      }
      return summary
    },
  },
  {
    method: 'get',
    path: '/sync',
    auth: 'admin',
    summary: 'The last directory sync: when, its outcome and summary',
    async handler(context) {
      const config = directoryConfig(context.settings)
      const state = await syncState(context.db)
      const iso = (value: Date | string | null | undefined) =>
        value ? new Date(value).toISOString() : null
      return {
        sync_enabled: config.sync.enabled,
        sync_every_minutes: config.sync.everyMinutes,
        running: !!state?.lease_until && new Date(state.lease_until).getTime() > Date.now(),
        last_started_at: iso(state?.last_started_at),
        last_finished_at: iso(state?.last_finished_at),
        last_status: state?.last_status ?? null,
        last_summary: state?.last_summary ?? null,
      }
    },
  },
]
