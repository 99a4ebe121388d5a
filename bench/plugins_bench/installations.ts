/*
 * The bench plugins in the tenants of bench/plugins.ts: installed once
 * through PluginInstaller (as `ace plugin:install` does, by the operator),
 * then enabled or disabled in every tenant between phases, and the
 * dispatcher's backlog. Imported after the app has booted.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { EventSubscribers } from '#events/event_subscribers'
import { PluginInstaller } from '#plugins/services/plugin_installer'
import { pluginSubscriberName } from '#plugins/services/plugin_event_delivery'
import { forEachConcurrently } from '../support/report.js'
import { BENCH_PLUGIN_IDS } from './bench_plugin.js'

const CONCURRENCY = 4
const OPERATOR = { operator: true } as const

function pairs(tenants: BoundTenant[]) {
  return tenants.flatMap((tenant) => BENCH_PLUGIN_IDS.map((pluginId) => ({ tenant, pluginId })))
}

/** Installs (enabled) the three bench plugins in every tenant: migrations, cursor, audit, event. */
export async function installBenchPlugins(tenants: BoundTenant[]) {
  const installer = await app.container.make(PluginInstaller)
  await forEachConcurrently(pairs(tenants), CONCURRENCY, ({ tenant, pluginId }) =>
    TenantContext.run(tenant, async () => {
      await installer.install(OPERATOR, pluginId, { enabled: true })
    })
  )
}

/**
 * Enables or disables the bench plugins in every tenant, as an admin
 * would (`POST /api/v1/plugins/:id/enable|disable`): enabling starts each
 * plugin's delivery at the latest event, so it never receives what was
 * created while it was off.
 */
export async function setBenchPluginsEnabled(tenants: BoundTenant[], enabled: boolean) {
  const installer = await app.container.make(PluginInstaller)
  await forEachConcurrently(pairs(tenants), CONCURRENCY, ({ tenant, pluginId }) =>
    TenantContext.run(tenant, async () => {
      await installer.setEnabled(OPERATOR, pluginId, enabled)
    })
  )
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`

/**
 * Events committed but not yet delivered, summed over the tenants, for
 * the app's own subscribers and (when `withPlugins`) the bench plugins'.
 */
export async function backlog(tenants: BoundTenant[], withPlugins: boolean) {
  const subscribers = await app.container.make(EventSubscribers)
  const names = [
    ...subscribers
      .all()
      .filter((subscriber) => !subscriber.name.startsWith('plugin:'))
      .map((subscriber) => subscriber.name),
    ...(withPlugins ? BENCH_PLUGIN_IDS.map(pluginSubscriberName) : []),
  ]
  const parts = tenants.map(
    ({ schema }) =>
      `SELECT coalesce(sum(h.seq - c.last_seq), 0) AS n
         FROM ${quote(schema)}.event_subscriber_cursors c, ${quote(schema)}.domain_event_head h
        WHERE c.subscriber IN (SELECT name FROM subscribers) AND c.last_seq < h.seq`
  )
  const { rows } = await db.rawQuery(
    `WITH subscribers AS (SELECT unnest(?::text[]) AS name)
     SELECT sum(n)::int AS n FROM (${parts.join(' UNION ALL ')}) b`,
    [`{${names.map((name) => `"${name.replace(/["\\]/g, '\\$&')}"`).join(',')}}`]
  )
  return Number(rows[0].n)
}

/** Waits until the backlog is empty; false on timeout. */
export async function settleBacklog(
  tenants: BoundTenant[],
  withPlugins: boolean,
  timeoutMs: number
) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if ((await backlog(tenants, withPlugins)) === 0) {
      return true
    }
    await sleep(100)
  }
  return false
}

/** Rows in each bench plugin's `<id>_entries` table, summed over the tenants. */
export async function entriesPerPlugin(tenants: BoundTenant[]) {
  const counts = new Map<string, number>()
  for (const pluginId of BENCH_PLUGIN_IDS) {
    const parts = tenants.map(
      ({ schema }) => `SELECT count(*) AS n FROM ${quote(schema)}.${quote(`${pluginId}_entries`)}`
    )
    const { rows } = await db.rawQuery(
      `SELECT sum(n)::int AS n FROM (${parts.join(' UNION ALL ')}) e`
    )
    counts.set(pluginId, Number(rows[0].n))
  }
  return counts
}
