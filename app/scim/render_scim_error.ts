import type { HttpContext } from '@adonisjs/core/http'
import { ApiException } from '#shared/api_exception'
import { describeError } from '#shared/client_errors'
import { ScimError } from '#scim/scim_error'
import { URN } from '#scim/schemas/urns'

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

interface ErrorLike {
  code?: string
  status?: number
  messages?: { field: string; message: string }[]
  response?: { availableIn?: number }
}

/**
 * The RFC 7644 section 3.12 form of an error: what SCIM clients parse.
 * Server errors get a generic detail, as everywhere else.
 */
function scimErrorOf(error: unknown): ScimError {
  if (error instanceof ScimError) {
    return error
  }
  const err = (error ?? {}) as ErrorLike
  if (err.code === 'E_VALIDATION_ERROR' && Array.isArray(err.messages)) {
    const detail = err.messages.map((entry) => `${entry.field}: ${entry.message}`).join('; ')
    return new ScimError(400, 'invalidValue', detail)
  }
  if (err.code === 'E_INVALID_JSON' || (err.status === 400 && !(error instanceof ApiException))) {
    return new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON')
  }
  const { status, errors } = describeError(error)
  return new ScimError(status, undefined, errors[0].message)
}

export function renderScimError(error: unknown, ctx: HttpContext) {
  const scim = scimErrorOf(error)
  const retryAfter = (error as ErrorLike)?.response?.availableIn
  if (scim.status === 429 && retryAfter) {
    ctx.response.header('Retry-After', String(retryAfter))
  }
  if (scim.status === 401) {
    ctx.response.header('WWW-Authenticate', 'Bearer realm="scim"')
  }
  ctx.response
    .status(scim.status)
    .header('Content-Type', SCIM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        schemas: [URN.error],
        status: String(scim.status),
        ...(scim.scimType ? { scimType: scim.scimType } : {}),
        detail: scim.message,
      })
    )
}

/** SCIM endpoints answer errors in SCIM's own format, not the REST API's. */
export function isScimRequest(ctx: HttpContext) {
  return ctx.request.url().startsWith('/scim/')
}
