import type { PluginHttp, PluginPermission } from '#plugins/plugin_api'
import { PluginPermissionDeniedException } from '#plugins/exceptions'

const DEFAULT_TIMEOUT_MS = 10_000

/**
 * `fetch` for a plugin granted `network`, bounded by a time limit and by
 * the work it runs for (`signal`). Plugins run in this process and are
 * trusted code: this is a permission boundary the admin grants, not a
 * sandbox (docs/plugins.md).
 */
export function pluginHttp(
  pluginId: string,
  permissions: ReadonlySet<PluginPermission>,
  signal: AbortSignal
): PluginHttp {
  return (url, init = {}) => {
    if (!permissions.has('network')) {
      return Promise.reject(new PluginPermissionDeniedException(pluginId, 'network'))
    }
    const { timeoutMs = DEFAULT_TIMEOUT_MS, signal: own, ...rest } = init
    const signals = [AbortSignal.timeout(timeoutMs), signal, ...(own ? [own] : [])]
    return fetch(url, { ...rest, signal: AbortSignal.any(signals) })
  }
}
