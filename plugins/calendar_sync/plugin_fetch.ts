import type { PluginContext } from '#plugin-api'

/**
 * tsdav takes a `fetch`; this one goes through the plugin's network
 * access (the `network` permission, its time limit and the signal of the
 * work it serves).
 */
export function pluginFetch(context: Pick<PluginContext, 'http'>): typeof fetch {
  return (input, init) => context.http(input instanceof Request ? input.url : input, init)
}
