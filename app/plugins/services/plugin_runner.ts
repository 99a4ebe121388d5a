import { withTimeout } from '#shared/with_timeout'
import type { AnyPluginDefinition, PluginContext, PluginJobs } from '#plugins/plugin_api'
import type { ActiveInstallation } from '#plugins/services/plugin_installations'
import type { PluginContexts } from '#plugins/services/plugin_contexts'
import type { PluginHealth, PluginWorkKind } from '#plugins/services/plugin_health'

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_HOOK_TIMEOUT_MS = 300

export class PluginTimeoutError extends Error {
  constructor(pluginId: string, ms: number) {
    super(`plugin "${pluginId}" did not finish within ${ms} ms`)
  }
}

/** Errors a plugin raises on purpose for its caller (bad input): not failures of the plugin. */
export type IsCallerError = (error: unknown) => boolean

/**
 * Runs one piece of plugin code (an event handler, a job, a route, a
 * hook) in the bound tenant, under a time limit: the context's signal is
 * aborted when it runs out, and the caller gets PluginTimeoutError (the
 * plugin's promise is left to settle on its own: JavaScript cannot stop
 * it). Every outcome is counted in PluginHealth.
 */
export class PluginRunner {
  constructor(
    protected contexts: PluginContexts,
    protected health: PluginHealth,
    protected jobs: (plugin: AnyPluginDefinition) => PluginJobs
  ) {}

  async run<T>(
    kind: PluginWorkKind,
    plugin: AnyPluginDefinition,
    installation: ActiveInstallation,
    timeoutMs: number,
    work: (context: PluginContext<any>) => Promise<T>,
    isCallerError: IsCallerError = () => false
  ): Promise<T> {
    const started = performance.now()
    try {
      const result = await withTimeout(
        timeoutMs,
        (signal) =>
          work(this.contexts.make({ plugin, installation, signal, jobs: this.jobs(plugin) })),
        () => new PluginTimeoutError(plugin.id, timeoutMs)
      )
      await this.health.succeeded(
        kind,
        plugin,
        performance.now() - started,
        installation.consecutiveFailures
      )
      return result
    } catch (error) {
      if (!isCallerError(error)) {
        await this.health.failed(kind, plugin, error, error instanceof PluginTimeoutError)
      }
      throw error
    }
  }
}
