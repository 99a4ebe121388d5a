import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { appDomain } from '#config/app'
import { ApiException } from '#shared/api_exception'

/**
 * Central routes (signup) answer only on the bare APP_DOMAIN.
 */
export default class CentralHostMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if ((ctx.request.hostname() ?? '').toLowerCase() !== appDomain) {
      throw new ApiException('Not found', { code: 'E_ROUTE_NOT_FOUND', status: 404 })
    }
    return next()
  }
}
