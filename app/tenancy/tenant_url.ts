import type { HttpContext } from '@adonisjs/core/http'
import { appDomain } from '#config/app'

/**
 * The address a tenant is served at, on the scheme and port the request
 * came in on.
 */
export function tenantUrl({ request }: HttpContext, slug: string) {
  const port = request.host()?.match(/:(\d+)$/)?.[1]
  return `${request.protocol()}://${slug}.${appDomain}${port ? `:${port}` : ''}`
}
