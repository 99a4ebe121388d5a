import type { PluginContext } from '#plugin-api'

/**
 * tsdav takes a `fetch`; this one goes through the plugin's network
 * access (the `network` permission and its time limit) and stops with the
 * work it serves.
 */
export function pluginFetch(context: Pick<PluginContext, 'http' | 'signal'>): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : input
    return context.http(url, { ...init, signal: init?.signal ?? context.signal })
  }
}
