import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { pluginMaxFailures } from '#config/plugins'
import type { AnyPluginDefinition } from '#plugins/plugin_api'
import { PluginAutoDisabled } from '#plugins/events'
import { PluginInstallations } from '#plugins/services/plugin_installations'

interface Counters {
  tenant: BoundTenant
  pluginId: string
  delivered: number
  failed: number
  timedOut: number
  latencyTotal: number
  latencyMax: number
  lastDeliveredAt: Date | null
  lastFailedAt: Date | null
}

/** What plugin code ran for: metrics describe event deliveries; failures of any kind count. */
export type PluginWorkKind = 'event' | 'job' | 'route' | 'hook' | 'socket'

const FLUSH_EVERY_MS = 10_000
const ERROR_LENGTH = 1000

/**
 * How each plugin fares in each tenant. Counters (delivered, failed,
 * latency) add up in memory and are flushed to plugin_metrics every few
 * seconds, so a delivery costs no write; failures are written at once,
 * because enough of them in a row turn the plugin off for that tenant,
 * audited, with an event that tells the tenant's admins.
 */
export class PluginHealth {
  #counters = new Map<string, Counters>()
  #timer?: NodeJS.Timeout

  constructor(
    protected installations: PluginInstallations,
    protected maxFailures = pluginMaxFailures
  ) {}

  start() {
    this.#timer ??= setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref()
  }

  async stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.flush()
  }

  async succeeded(
    kind: PluginWorkKind,
    plugin: AnyPluginDefinition,
    ms: number,
    failuresBefore: number
  ) {
    if (kind === 'event') {
      const counters = this.#countersOf(plugin.id)
      counters.delivered += 1
      counters.latencyTotal += ms
      counters.latencyMax = Math.max(counters.latencyMax, Math.round(ms))
      counters.lastDeliveredAt = new Date()
    }
    if (failuresBefore > 0) {
      await db.transaction(async (trx) => {
        await trx
          .from(TenantContext.table('plugin_installations'))
          .where('plugin_id', plugin.id)
          .update({ consecutive_failures: 0 })
        await PluginInstallations.announceChange(trx)
      })
    }
  }

  async failed(
    kind: PluginWorkKind,
    plugin: AnyPluginDefinition,
    error: unknown,
    timedOut: boolean
  ) {
    if (kind === 'event') {
      const counters = this.#countersOf(plugin.id)
      counters.failed += 1
      counters.timedOut += timedOut ? 1 : 0
      counters.lastFailedAt = new Date()
    }
    const message = String((error as Error)?.message ?? error).slice(0, ERROR_LENGTH)
    const tenant = TenantContext.currentOrFail()
    logger.warn({ plugin: plugin.id, tenant: tenant.slug, kind, err: error }, 'plugin failed')

    await db.transaction(async (trx) => {
      const installations = TenantContext.table('plugin_installations')
      const { rows } = await trx.rawQuery(
        `UPDATE ${installations}
         SET consecutive_failures = consecutive_failures + 1, last_error = ?, last_failure_at = now()
         WHERE plugin_id = ? AND enabled
         RETURNING consecutive_failures, version`,
        [message, plugin.id]
      )
      const row = rows[0]
      await PluginInstallations.announceChange(trx)
      if (row && row.consecutive_failures >= this.maxFailures) {
        await trx
          .from(installations)
          .where('plugin_id', plugin.id)
          .update({ enabled: false, disabled_reason: 'failures', updated_at: new Date() })
        await AuditTrail.record(trx, {
          actor: { type: 'system' },
          action: 'plugin.auto_disabled',
          target: { type: 'plugin', id: plugin.id },
          metadata: { consecutive_failures: row.consecutive_failures, last_error: message },
        })
        await EventOutbox.append(trx, [
          new PluginAutoDisabled({
            plugin_id: plugin.id,
            version: row.version,
            consecutive_failures: row.consecutive_failures,
            last_error: message,
          }),
        ])
        logger.error({ plugin: plugin.id, tenant: tenant.slug }, 'plugin disabled after failures')
      }
    })
    this.installations.forget(tenant.id)
  }

  /** Writes this process's counters (they are added to what other processes wrote). */
  async flush() {
    const pending = [...this.#counters.values()]
    this.#counters.clear()
    for (const counters of pending) {
      await TenantContext.run(counters.tenant, () => this.#write(counters)).catch((error) =>
        logger.warn({ err: error, plugin: counters.pluginId }, 'could not record plugin metrics')
      )
    }
  }

  #write(counters: Counters) {
    return db.rawQuery(
      `INSERT INTO ${TenantContext.table('plugin_metrics')} AS m
         (plugin_id, delivered, failed, timed_out, latency_ms_total, latency_ms_max,
          last_delivered_at, last_failed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (plugin_id) DO UPDATE SET
         delivered = m.delivered + EXCLUDED.delivered,
         failed = m.failed + EXCLUDED.failed,
         timed_out = m.timed_out + EXCLUDED.timed_out,
         latency_ms_total = m.latency_ms_total + EXCLUDED.latency_ms_total,
         latency_ms_max = GREATEST(m.latency_ms_max, EXCLUDED.latency_ms_max),
         last_delivered_at = COALESCE(EXCLUDED.last_delivered_at, m.last_delivered_at),
         last_failed_at = COALESCE(EXCLUDED.last_failed_at, m.last_failed_at)`,
      [
        counters.pluginId,
        counters.delivered,
        counters.failed,
        counters.timedOut,
        Math.round(counters.latencyTotal),
        counters.latencyMax,
        counters.lastDeliveredAt,
        counters.lastFailedAt,
      ]
    )
  }

  #countersOf(pluginId: string) {
    const tenant = TenantContext.currentOrFail()
    const key = `${tenant.id}:${pluginId}`
    let counters = this.#counters.get(key)
    if (!counters) {
      counters = {
        tenant,
        pluginId,
        delivered: 0,
        failed: 0,
        timedOut: 0,
        latencyTotal: 0,
        latencyMax: 0,
        lastDeliveredAt: null,
        lastFailedAt: null,
      }
      this.#counters.set(key, counters)
    }
    return counters
  }
}
