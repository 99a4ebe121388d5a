import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { ApiException } from '#shared/api_exception'
import { memberResource } from '#identity/member_resource'
import {
  PluginReply,
  type AnyPluginDefinition,
  type PluginMember,
  type PluginRequest,
  type PluginRoute,
} from '#plugins/plugin_api'
import { PluginNotInstalledException } from '#plugins/exceptions'
import { clientError, isCallerError } from '#plugins/plugin_errors'
import { PluginInstallations } from '#plugins/services/plugin_installations'
import { PluginRunner, DEFAULT_TIMEOUT_MS } from '#plugins/services/plugin_runner'

/**
 * Serves one route a plugin declared, below /api/v1/plugins/<id>: only
 * where the plugin is installed and enabled (404 elsewhere), for the
 * callers its `auth` admits, under its time limit.
 */
export function pluginRouteHandler(plugin: AnyPluginDefinition, route: PluginRoute<any>) {
  return async (ctx: HttpContext) => {
    const installations = await app.container.make(PluginInstallations)
    const installation = await installations.enabled(plugin.id)
    if (!installation) {
      throw new PluginNotInstalledException(plugin.id)
    }
    let member: PluginMember | null = null
    if (route.auth !== 'public') {
      const user = ctx.auth.getUserOrFail()
      if (route.auth === 'admin' && !user.isAdmin) {
        throw new ApiException('Only workspace admins may do this', {
          code: 'E_FORBIDDEN',
          status: 403,
        })
      }
      member = memberResource(user)
    }
    const request: PluginRequest = {
      member,
      params: ctx.params,
      query: ctx.request.qs(),
      body: ctx.request.body(),
      headers: ctx.request.headers(),
      ip: ctx.request.ip(),
    }
    const runner = await app.container.make(PluginRunner)
    let result: unknown
    try {
      result = await runner.run(
        'route',
        plugin,
        installation,
        plugin.limits?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        (context) => route.handler(context, request),
        isCallerError
      )
    } catch (error) {
      throw clientError(plugin.id, error)
    }
    if (result instanceof PluginReply) {
      ctx.response.status(result.status)
      for (const [name, value] of Object.entries(result.headers)) {
        ctx.response.header(name, value)
      }
      return ctx.response.send(result.body)
    }
    return { data: result ?? null }
  }
}
