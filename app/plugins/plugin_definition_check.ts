import { PLUGIN_PERMISSIONS, type AnyPluginDefinition } from '#plugins/plugin_api'

const ID = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/
const NAME = /^[a-z0-9][a-z0-9_]*$/
/** /api/v1/plugins/<id>/<these> belong to the admin API. */
const ADMIN_PATHS = new Set(['install', 'settings', 'enable', 'disable'])

/**
 * The mistakes a plugin author can make in `definePlugin`, found when the
 * plugin is loaded rather than when a tenant first uses it. Returns what
 * is wrong, one line per problem.
 */
export function definitionProblems(plugin: AnyPluginDefinition): string[] {
  const problems: string[] = []
  if (typeof plugin?.id !== 'string' || !ID.test(plugin.id) || plugin.id.length > 30) {
    return ['id must be lower snake_case, at most 30 characters']
  }
  if (!plugin.name || !plugin.description) {
    problems.push('name and description are required')
  }
  if (!SEMVER.test(plugin.version ?? '')) {
    problems.push(`version "${plugin.version}" is not semver`)
  }
  for (const permission of plugin.permissions ?? []) {
    if (!PLUGIN_PERMISSIONS.includes(permission)) {
      problems.push(`unknown permission "${permission}"`)
    }
  }
  const migrationNames = (plugin.migrations ?? []).map((migration) => migration.name)
  if (new Set(migrationNames).size !== migrationNames.length) {
    problems.push('migration names must be unique')
  }
  if (migrationNames.some((name) => !NAME.test(name))) {
    problems.push('migration names are lower case letters, digits and underscores')
  }
  const schemaKeys = settingsKeys(plugin)
  for (const secret of plugin.settings?.secrets ?? []) {
    if (!schemaKeys.includes(secret)) {
      problems.push(`secret setting "${secret}" is not in the settings schema`)
    }
  }
  for (const schedule of plugin.schedules ?? []) {
    if (!plugin.jobs?.[schedule.job]) {
      problems.push(`schedule runs unknown job "${schedule.job}"`)
    }
    if (!Number.isInteger(schedule.everyMinutes) || schedule.everyMinutes < 1) {
      problems.push(`schedule of "${schedule.job}" must run every whole number of minutes`)
    }
  }
  for (const route of plugin.routes ?? []) {
    if (!route.path.startsWith('/') || route.path === '/') {
      problems.push(`route path "${route.path}" must start with / and name something`)
    } else if (ADMIN_PATHS.has(route.path.split('/')[1]) && route.mount !== 'auth') {
      problems.push(`route path "${route.path}" is taken by the plugin admin API`)
    }
    if (route.mount === 'auth' && route.auth !== 'public') {
      problems.push(`route "${route.path}" is mounted at /auth, so it must be public`)
    }
  }
  for (const name of Object.keys(plugin.socket ?? {})) {
    if (!NAME.test(name.replaceAll('.', '_').replaceAll(':', '_'))) {
      problems.push(`socket event "${name}" has characters other than a-z, 0-9, _, . and :`)
    }
  }
  return problems
}

function settingsKeys(plugin: AnyPluginDefinition): string[] {
  const schema = plugin.settings?.schema as { getProperties?: () => Record<string, unknown> }
  return schema?.getProperties ? Object.keys(schema.getProperties()) : []
}
