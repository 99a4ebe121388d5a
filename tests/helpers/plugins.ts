import app from '@adonisjs/core/services/app'
import type { ApiClient } from '@japa/api-client'
import type { TestTenant } from '#tests/helpers/tenants'
import { as } from '#tests/helpers/work'
import { startAppDispatcher } from '#tests/helpers/events'
import { startPluginWork } from '#providers/plugins_provider'
import { PluginJobs } from '#plugins/services/plugin_jobs'
import { PluginHealth } from '#plugins/services/plugin_health'

export interface InstallOptions {
  permissions?: string[]
  settings?: Record<string, unknown>
  enabled?: boolean
}

/**
 * Installs a plugin in a tenant through the admin API, as its owner,
 * and returns the plugin resource.
 */
export async function installPlugin(
  client: ApiClient,
  tenant: TestTenant,
  pluginId: string,
  options: InstallOptions = {}
) {
  const response = await as(client, tenant, tenant.ownerToken).post(
    `/plugins/${pluginId}/install`,
    { ...options }
  )
  response.assertStatus(201)
  return response.body().data
}

/**
 * A group hook: domain events reach plugins (the application's
 * dispatcher runs during each test) and plugin jobs are worked in this
 * process, as a web node does.
 */
export async function runPluginsDuringEachTest() {
  await startPluginWork(app)
  const dispatcher = await startAppDispatcher()
  return async () => {
    await dispatcher.stop()
    const jobs = await app.container.make(PluginJobs)
    await jobs.idle()
  }
}

/** Waits until the plugin jobs queued so far have run, and writes this process's metrics. */
export async function settlePluginWork() {
  const jobs = await app.container.make(PluginJobs)
  await jobs.settled()
  const health = await app.container.make(PluginHealth)
  await health.flush()
}
