import router from '@adonisjs/core/services/router'
import type { PluginRegistry } from '#plugins/services/plugin_registry'
import type { AnyPluginDefinition, PluginRoute } from '#plugins/plugin_api'
import { pluginRouteHandler } from '#plugins/controllers/plugin_route_handler'
import { pluginRouteThrottle } from '#start/limiter'

const PluginsController = () => import('#plugins/controllers/plugins_controller')

/** The admin API of plugins; inside the authenticated tenant group of start/routes.ts. */
export function pluginAdminRoutes() {
  router.get('/plugins', [PluginsController, 'index']).as('plugins.index')
  router.get('/plugins/:plugin', [PluginsController, 'show']).as('plugins.show')
  router.post('/plugins/:plugin/install', [PluginsController, 'install']).as('plugins.install')
  router
    .patch('/plugins/:plugin/settings', [PluginsController, 'updateSettings'])
    .as('plugins.settings')
  router.post('/plugins/:plugin/enable', [PluginsController, 'enable']).as('plugins.enable')
  router.post('/plugins/:plugin/disable', [PluginsController, 'disable']).as('plugins.disable')
  router.delete('/plugins/:plugin', [PluginsController, 'destroy']).as('plugins.destroy')
}

export function pluginRouteName(plugin: AnyPluginDefinition, route: PluginRoute<any>) {
  const mount = route.mount === 'auth' ? 'auth.' : ''
  return `plugins.${plugin.id}.${mount}${route.method}${route.path.replace(/[^a-z0-9]+/gi, '_')}`
}

/** Where a plugin route is served, as registered. */
export function pluginRoutePattern(plugin: AnyPluginDefinition, route: PluginRoute<any>) {
  return route.mount === 'auth' ? `/auth${route.path}` : `/api/v1/plugins/${plugin.id}${route.path}`
}

/**
 * The routes plugins declare, below /api/v1/plugins/<id>, inside the
 * tenant group: 'member' and 'admin' routes need a token, 'public' ones
 * are rate limited per IP instead.
 */
export function pluginRoutes(registry: PluginRegistry, access: 'signed-in' | 'public') {
  for (const plugin of registry.all()) {
    for (const route of plugin.routes ?? []) {
      const isPublic = route.auth === 'public'
      if (isPublic !== (access === 'public') || route.mount === 'auth') {
        continue
      }
      const path = `/plugins/${plugin.id}${route.path}`
      const registered = router[route.method](path, pluginRouteHandler(plugin, route)).as(
        pluginRouteName(plugin, route)
      )
      if (isPublic) {
        registered.use(pluginRouteThrottle)
      }
    }
  }
}

/**
 * The public routes plugins mount at /auth on tenant hosts (browser
 * sign-in flows), rate limited per IP. Two plugins claiming one path stop
 * the boot.
 */
export function pluginAuthRoutes(registry: PluginRegistry) {
  const claimed = new Map<string, string>()
  for (const plugin of registry.all()) {
    for (const route of (plugin.routes ?? []).filter((entry) => entry.mount === 'auth')) {
      const key = `${route.method} ${route.path}`
      const holder = claimed.get(key)
      if (holder) {
        throw new Error(`Plugins "${holder}" and "${plugin.id}" both declare /auth${route.path}`)
      }
      claimed.set(key, plugin.id)
      router[route.method](`/auth${route.path}`, pluginRouteHandler(plugin, route))
        .as(pluginRouteName(plugin, route))
        .use(pluginRouteThrottle)
    }
  }
}
