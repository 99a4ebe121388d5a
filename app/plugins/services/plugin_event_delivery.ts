import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'
import { matchesType, type Subscriber } from '#events/event_subscribers'
import { liveEvent } from '#realtime/live_events_projector'
import type { AnyPluginDefinition } from '#plugins/plugin_api'
import { mayReceive } from '#plugins/plugin_event_permissions'
import type { PluginInstallations } from '#plugins/services/plugin_installations'
import { DEFAULT_TIMEOUT_MS, type PluginRunner } from '#plugins/services/plugin_runner'

/** The outbox subscriber of a plugin: one cursor per tenant, under this name. */
export function pluginSubscriberName(pluginId: string) {
  return `plugin:${pluginId}`
}

/**
 * Domain events to a plugin, through the outbox: one subscriber per
 * plugin, active in the tenants where it is enabled. The dispatcher
 * gives each (tenant, plugin) its own cursor, so a plugin that fails is
 * retried with backoff and holds back nobody else, and a slow one is cut
 * off at its time limit. Its cursor starts at the latest event when it
 * is installed or enabled again: a plugin never receives what happened
 * while it was not there.
 */
export function pluginSubscriber(
  plugin: AnyPluginDefinition,
  installations: PluginInstallations,
  runner: PluginRunner
): Subscriber {
  const patterns = Object.keys(plugin.events ?? {})
  const timeoutMs = plugin.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return {
    name: pluginSubscriberName(plugin.id),
    types: patterns,
    startAt: 'latest',
    // The runner enforces the plugin's limit; the dispatcher's is a backstop.
    timeoutMs: timeoutMs + 5_000,
    async activeIn(tenant) {
      return (await installations.enabled(plugin.id, tenant)) !== undefined
    },
    async handle(event) {
      const installation = await installations.enabled(plugin.id)
      if (!installation || !mayReceive(event.type, installation.permissions)) {
        return
      }
      const handlers = patterns
        .filter((pattern) => matchesType(pattern, event.type))
        .map((pattern) => plugin.events![pattern])
      const delivered = liveEvent(event)
      await runner.run('event', plugin, installation, timeoutMs, async (context) => {
        for (const handler of handlers) {
          await handler(context, delivered)
        }
      })
    },
  }
}

/** Puts the plugin's cursor after the latest event of the bound tenant (install, enable). */
export function startDeliveryFromNow(trx: TransactionClientContract, pluginId: string) {
  const cursors = TenantContext.table('event_subscriber_cursors')
  return trx.rawQuery(
    `INSERT INTO ${cursors} AS c (subscriber, last_seq)
     SELECT ?, seq FROM ${TenantContext.table('domain_event_head')}
     ON CONFLICT (subscriber) DO UPDATE
       SET last_seq = GREATEST(c.last_seq, EXCLUDED.last_seq),
           attempts = 0, retry_at = NULL, last_error = NULL`,
    [pluginSubscriberName(pluginId)]
  )
}
