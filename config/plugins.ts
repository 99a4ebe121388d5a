import env from '#start/env'

/**
 * Where plugins are discovered at boot: one folder per plugin, exporting
 * `definePlugin({...})` as the default export of its index.ts.
 */
export const pluginDirectories = [
  'plugins',
  ...(env.get('PLUGIN_DIRS') ?? '')
    .split(',')
    .map((directory) => directory.trim())
    .filter(Boolean),
]

/** Consecutive failed deliveries after which a plugin is disabled for a tenant. */
export const pluginMaxFailures = env.get('PLUGIN_MAX_FAILURES', 10)
