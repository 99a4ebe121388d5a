import logger from '@adonisjs/core/services/logger'
import { TenantContext } from '#tenancy/tenant_context'
import type { AnyPluginDefinition, PluginJobs as PluginJobsApi } from '#plugins/plugin_api'
import type { PluginJobBackend, PluginJobPayload } from '#plugins/jobs/job_backend'
import type { PluginRegistry } from '#plugins/services/plugin_registry'
import type { PluginInstallations } from '#plugins/services/plugin_installations'
import { DEFAULT_TIMEOUT_MS, type PluginRunner } from '#plugins/services/plugin_runner'
import { activeTenant, tenantsWithPluginEnabled } from '#plugins/services/plugin_tenants'

/**
 * Plugin jobs and schedules. A job carries its tenant id and runs with
 * that tenant bound, only while the plugin is enabled there; a schedule
 * fires once per deployment and fans out one job per tenant with the
 * plugin enabled.
 */
export class PluginJobs {
  #runner?: PluginRunner

  constructor(
    protected backend: PluginJobBackend,
    protected registry: PluginRegistry,
    protected installations: PluginInstallations
  ) {}

  /** The `jobs` of a plugin's context in the bound tenant. */
  forPlugin(plugin: AnyPluginDefinition): PluginJobsApi {
    return {
      enqueue: async (job, data = {}, options = {}) => {
        if (!plugin.jobs?.[job]) {
          throw new Error(`Plugin "${plugin.id}" has no job "${job}"`)
        }
        const tenantId = TenantContext.currentOrFail().id
        await this.backend.add(
          { kind: 'job', tenantId, pluginId: plugin.id, job, data },
          options.delayMs
        )
      },
    }
  }

  /** Starts processing, and the schedules of every plugin in the catalog. */
  async start(runner: PluginRunner) {
    if (this.#runner) {
      return
    }
    this.#runner = runner
    await this.backend.start((payload) => this.#process(payload))
    for (const plugin of this.registry.all()) {
      for (const schedule of plugin.schedules ?? []) {
        await this.backend.repeat(
          `schedule:${plugin.id}:${schedule.job}:${schedule.everyMinutes}`,
          schedule.everyMinutes * 60_000,
          { kind: 'schedule', pluginId: plugin.id, job: schedule.job }
        )
      }
    }
  }

  idle() {
    return this.backend.idle()
  }

  /** Waits until no job is waiting or running in any process. */
  settled() {
    return this.backend.settled()
  }

  stop() {
    return this.backend.stop()
  }

  /** Runs a schedule now, as if it came due (operators, tests). */
  runSchedule(pluginId: string, job: string) {
    return this.#process({ kind: 'schedule', pluginId, job })
  }

  async #process(payload: PluginJobPayload) {
    const plugin = this.registry.find(payload.pluginId)
    if (!plugin) {
      return
    }
    if (payload.kind === 'schedule') {
      for (const tenant of await tenantsWithPluginEnabled(plugin.id)) {
        await this.backend.add({
          kind: 'job',
          tenantId: tenant.id,
          pluginId: plugin.id,
          job: payload.job,
          data: {},
        })
      }
      return
    }
    const tenant = await activeTenant({ id: payload.tenantId })
    if (!tenant) {
      return
    }
    await TenantContext.run(tenant, async () => {
      const installation = await this.installations.enabled(plugin.id)
      const handler = plugin.jobs?.[payload.job]
      if (!installation || !handler || !this.#runner) {
        logger.debug({ plugin: plugin.id, job: payload.job }, 'plugin job skipped: not enabled')
        return
      }
      await this.#runner.run(
        'job',
        plugin,
        installation,
        plugin.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        (context) => handler(context, payload.data)
      )
    })
  }
}
