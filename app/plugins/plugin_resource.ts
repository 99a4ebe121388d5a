import type { AnyPluginDefinition } from '#plugins/plugin_api'
import type PluginInstallation from '#plugins/models/plugin_installation'
import { PluginSettings } from '#plugins/services/plugin_settings'

export interface PluginMetricsRow {
  delivered: string | number
  failed: string | number
  timed_out: string | number
  latency_ms_total: string | number
  latency_ms_max: number
  last_delivered_at: Date | null
  last_failed_at: Date | null
}

function metricsResource(row: PluginMetricsRow | undefined) {
  const delivered = Number(row?.delivered ?? 0)
  return {
    delivered,
    failed: Number(row?.failed ?? 0),
    timed_out: Number(row?.timed_out ?? 0),
    latency_ms_avg: delivered ? Math.round(Number(row!.latency_ms_total) / delivered) : null,
    latency_ms_max: row?.latency_ms_max ?? null,
    last_delivered_at: row?.last_delivered_at?.toISOString() ?? null,
    last_failed_at: row?.last_failed_at?.toISOString() ?? null,
  }
}

/**
 * A catalog entry with this tenant's installation. Members see what is
 * installed and on; admins also see settings (secrets masked), failures
 * and metrics.
 */
export function pluginResource(
  plugin: AnyPluginDefinition,
  installation: PluginInstallation | null,
  detail: { tenantId: number; admin: boolean; metrics?: PluginMetricsRow }
) {
  return {
    id: plugin.id,
    name: plugin.name,
    version: plugin.version,
    description: plugin.description,
    permissions: plugin.permissions,
    secret_settings: plugin.settings?.secrets ?? [],
    installation: installation && {
      version: installation.version,
      enabled: installation.enabled,
      upgrade_available: installation.version !== plugin.version,
      granted_permissions: installation.grantedPermissions,
      installed_by: installation.installedBy,
      installed_at: installation.installedAt.toISO(),
      ...(detail.admin
        ? {
            settings: PluginSettings.masked(
              plugin,
              PluginSettings.open(detail.tenantId, plugin.id, installation.settings)
            ),
            disabled_reason: installation.disabledReason,
            consecutive_failures: installation.consecutiveFailures,
            last_error: installation.lastError,
            last_failure_at: installation.lastFailureAt?.toISO() ?? null,
            metrics: metricsResource(detail.metrics),
          }
        : {}),
    },
  }
}
