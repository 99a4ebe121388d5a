import type { HttpContext } from '@adonisjs/core/http'

/**
 * Where a request came from, as the audit trail records it.
 */
export interface RequestOrigin {
  ip: string | null
  userAgent: string | null
}

export function requestOrigin({ request }: HttpContext): RequestOrigin {
  return { ip: request.ip() ?? null, userAgent: request.header('user-agent') ?? null }
}
