import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { ApiException } from '#shared/api_exception'

interface ErrorLike {
  code?: string
  status?: number
  message?: string
  messages?: { field: string; message: string; rule?: string }[]
  response?: { availableIn?: number }
}

/*
 * Framework error codes mapped to the stable codes clients see.
 */
const RENAMED: Record<string, string> = {
  E_ROW_NOT_FOUND: 'E_NOT_FOUND',
  E_UNAUTHORIZED_ACCESS: 'E_UNAUTHORIZED',
  E_AUTHORIZATION_FAILURE: 'E_FORBIDDEN',
  E_TOO_MANY_REQUESTS: 'E_TOO_MANY_ATTEMPTS',
}

/**
 * Renders every error as `{ errors: [{ code, message, field? }] }`.
 * Server errors are logged and answered with a generic message: no stack
 * trace or internal detail ever reaches a client.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  async handle(error: unknown, ctx: HttpContext) {
    if (error instanceof ApiException) {
      return error.handle(error, ctx)
    }
    const err = (error ?? {}) as ErrorLike

    const status = this.#status(err)
    if (status >= 500) {
      return ctx.response.status(500).send({
        errors: [{ code: 'E_INTERNAL_ERROR', message: 'Something went wrong on our side' }],
      })
    }

    if (err.code === 'E_VALIDATION_ERROR' && Array.isArray(err.messages)) {
      return ctx.response.status(422).send({
        errors: err.messages.map((entry) => ({
          code: 'E_VALIDATION_ERROR',
          message: entry.message,
          field: entry.field,
        })),
      })
    }

    const code =
      err.code && /^E_[A-Z_]+$/.test(err.code) ? (RENAMED[err.code] ?? err.code) : 'E_REQUEST_ERROR'
    return ctx.response.status(status).send({
      errors: [{ code, message: err.message ?? 'Request failed' }],
    })
  }

  #status(err: ErrorLike) {
    if (err.code === 'E_ROW_NOT_FOUND') {
      return 404
    }
    return typeof err.status === 'number' && err.status >= 400 ? err.status : 500
  }
}
