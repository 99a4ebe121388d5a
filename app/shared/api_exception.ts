import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import { describeError } from '#shared/client_errors'

/**
 * An error a client is meant to see: a stable code, a message, an HTTP
 * status and optionally the input field it concerns. Rendered as
 * `{ errors: [{ code, message, field? }] }` (DESIGN.md section 8).
 */
export class ApiException extends Exception {
  field?: string
  /** Sent as the Retry-After header (429s, 503s). */
  retryAfterSeconds?: number

  constructor(message: string, options: { code: string; status: number; field?: string }) {
    super(message, { code: options.code, status: options.status })
    this.field = options.field
  }

  async handle(error: this, ctx: HttpContext) {
    const { status, errors } = describeError(error)
    if (error.retryAfterSeconds !== undefined) {
      ctx.response.header('Retry-After', String(error.retryAfterSeconds))
    }
    ctx.response.status(status).send({ errors })
  }
}
