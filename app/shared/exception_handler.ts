import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { ApiException } from '#shared/api_exception'
import { describeError } from '#shared/client_errors'
import { isScimRequest, renderScimError } from '#scim/render_scim_error'

/**
 * Renders every error as `{ errors: [{ code, message, field? }] }`
 * (see describeError), and SCIM endpoints' errors as RFC 7644 prescribes.
 * ApiExceptions render themselves, so one can add a header such as
 * Retry-After.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  async handle(error: unknown, ctx: HttpContext) {
    if (isScimRequest(ctx)) {
      return renderScimError(error, ctx)
    }
    if (error instanceof ApiException) {
      return error.handle(error, ctx)
    }
    const { status, errors } = describeError(error)
    return ctx.response.status(status).send({ errors })
  }
}
