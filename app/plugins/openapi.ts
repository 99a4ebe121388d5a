import type { JSONSchema7 } from 'json-schema'
import { defineOperations, type OperationSpec } from '#shared/openapi/operation'
import { resource } from '#shared/openapi/schemas'
import {
  installPluginValidator,
  pluginSettingsValidator,
  uninstallPluginValidator,
} from '#plugins/validators/plugins'
import { PLUGIN_PERMISSIONS } from '#plugins/plugin_api'
import type { PluginRegistry } from '#plugins/services/plugin_registry'
import { pluginRouteName } from '#plugins/routes'

const nullableDateTime: JSONSchema7 = { type: ['string', 'null'], format: 'date-time' }

export const pluginSchemas: Record<string, JSONSchema7> = {
  Plugin: {
    type: 'object',
    required: ['id', 'name', 'version', 'description', 'permissions', 'installation'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      version: { type: 'string', description: 'Version in the catalog' },
      description: { type: 'string' },
      permissions: { type: 'array', items: { enum: [...PLUGIN_PERMISSIONS] } },
      secret_settings: { type: 'array', items: { type: 'string' } },
      installation: {
        description: 'null when not installed here; settings and health for admins only',
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            properties: {
              version: { type: 'string' },
              enabled: { type: 'boolean' },
              upgrade_available: { type: 'boolean' },
              granted_permissions: { type: 'array', items: { enum: [...PLUGIN_PERMISSIONS] } },
              installed_by: { type: ['integer', 'null'] },
              installed_at: { type: 'string', format: 'date-time' },
              settings: {
                type: 'object',
                description: 'Secrets read "********" when set (send it back to keep them)',
              },
              disabled_reason: { enum: ['admin', 'failures', null] },
              consecutive_failures: { type: 'integer' },
              last_error: { type: ['string', 'null'] },
              last_failure_at: nullableDateTime,
              metrics: {
                type: 'object',
                properties: {
                  delivered: { type: 'integer' },
                  failed: { type: 'integer' },
                  timed_out: { type: 'integer' },
                  latency_ms_avg: { type: ['integer', 'null'] },
                  latency_ms_max: { type: ['integer', 'null'] },
                  last_delivered_at: nullableDateTime,
                  last_failed_at: nullableDateTime,
                },
              },
            },
          },
        ],
      },
    },
  },
}

const onePlugin = { 200: { description: 'The plugin', schema: resource('Plugin') } }
const notInstalled = {
  description: 'No such plugin (E_PLUGIN_NOT_FOUND) or not installed here (E_PLUGIN_NOT_INSTALLED)',
}

export const pluginOperations = defineOperations({
  'plugins.index': {
    summary: 'The plugin catalog, with what is installed in this workspace',
    tag: 'Plugins',
    responses: {
      200: {
        description: 'Every plugin of the deployment',
        schema: {
          type: 'object',
          properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Plugin' } } },
        },
      },
    },
  },
  'plugins.show': {
    summary: 'One plugin and its installation here',
    tag: 'Plugins',
    responses: { ...onePlugin, 404: notInstalled },
  },
  'plugins.install': {
    summary:
      'Install a plugin (runs its migrations in this workspace), granting some or all of its permissions',
    tag: 'Plugins',
    body: installPluginValidator,
    responses: {
      201: { description: 'Installed', schema: resource('Plugin') },
      409: { description: 'Installed already (E_PLUGIN_INSTALLED)' },
      502: { description: 'The plugin failed to install; nothing was changed (E_PLUGIN_FAILED)' },
    },
  },
  'plugins.settings': {
    summary: 'Change settings (merged; validated by the plugin; secrets are write-only)',
    tag: 'Plugins',
    body: pluginSettingsValidator,
    responses: { ...onePlugin, 404: notInstalled },
  },
  'plugins.enable': {
    summary: 'Turn a plugin on (it receives events from now on)',
    tag: 'Plugins',
    responses: { ...onePlugin, 404: notInstalled },
  },
  'plugins.disable': {
    summary: 'Turn a plugin off: no events, jobs or routes until enabled again',
    tag: 'Plugins',
    responses: { ...onePlugin, 404: notInstalled },
  },
  'plugins.destroy': {
    summary: 'Uninstall; with purge=true its tables and stored data are dropped too',
    tag: 'Plugins',
    query: uninstallPluginValidator,
    responses: { 204: { description: 'Uninstalled' }, 404: notInstalled },
  },
})

/** Descriptions of the routes plugins declare, from the catalog. */
export function pluginRouteOperations(registry: PluginRegistry) {
  const operations: Record<string, OperationSpec> = {}
  for (const plugin of registry.all()) {
    for (const route of plugin.routes ?? []) {
      operations[pluginRouteName(plugin, route)] = {
        summary: route.summary ?? `${route.method.toUpperCase()} ${route.path}`,
        tag: `Plugin: ${plugin.name}`,
        authenticated: route.auth !== 'public',
        responses: {
          200: { description: `Served by the plugin "${plugin.id}"` },
          404: {
            description: 'The plugin is not installed or not enabled here (E_PLUGIN_NOT_INSTALLED)',
          },
          502: { description: 'The plugin failed (E_PLUGIN_FAILED)' },
          504: { description: 'The plugin did not answer in time (E_PLUGIN_TIMEOUT)' },
        },
      }
    }
  }
  return operations
}
