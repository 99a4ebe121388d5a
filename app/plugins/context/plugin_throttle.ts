import limiter from '@adonisjs/limiter/services/main'
import { TenantContext } from '#tenancy/tenant_context'
import { PluginError, type PluginThrottle } from '#plugins/plugin_api'

/** Failure counters of one plugin in the bound tenant, in the deployment's limiter store. */
export function pluginThrottle(pluginId: string): PluginThrottle {
  return {
    async penalize(key, limits, attempt) {
      const counter = limiter.use({
        requests: limits.failures,
        duration: `${limits.windowSeconds} sec`,
        blockDuration: `${limits.blockSeconds} sec`,
      })
      const scoped = `plugin:${TenantContext.currentOrFail().id}:${pluginId}:${key}`
      const [blocked, result] = await counter.penalize(scoped, attempt)
      if (blocked) {
        const refusal = new PluginError(
          'E_TOO_MANY_ATTEMPTS',
          `Too many failed attempts; try again in ${blocked.response.availableIn} s`,
          429
        )
        refusal.retryAfterSeconds = blocked.response.availableIn
        throw refusal
      }
      return result as Awaited<ReturnType<typeof attempt>>
    },
  }
}
