import { createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiException } from '#shared/api_exception'
import { IdempotencyKeys, type StoredResponse } from '#shared/idempotency/idempotency_keys'

/** 1 to 255 printable ASCII characters, like Stripe's keys. */
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/

class InvalidIdempotencyKeyException extends ApiException {
  constructor() {
    super('Idempotency-Key must be 1 to 255 printable ASCII characters', {
      code: 'E_INVALID_IDEMPOTENCY_KEY',
      status: 400,
    })
  }
}

class IdempotencyKeyReusedException extends ApiException {
  constructor() {
    super('This Idempotency-Key was already used for a different request', {
      code: 'E_IDEMPOTENCY_KEY_REUSED',
      status: 422,
    })
  }
}

class IdempotencyInProgressException extends ApiException {
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry shortly', {
      code: 'E_IDEMPOTENCY_IN_PROGRESS',
      status: 409,
    })
  }

  async handle(error: this, ctx: HttpContext) {
    ctx.response.header('Retry-After', '1')
    return super.handle(error, ctx)
  }
}

/** Same JSON value, same text: object keys sorted at every depth. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical)
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return Object.fromEntries(entries.map(([name, item]) => [name, canonical(item)]))
  }
  return value
}

/**
 * What makes two requests "the same request". The query string is
 * included too: a create whose query differs is not a retry.
 */
function fingerprint(ctx: HttpContext, route: string) {
  const request = [route, ctx.params, ctx.request.qs(), ctx.request.body()].map(canonical)
  return createHash('sha256').update(JSON.stringify(request)).digest('hex')
}

function replay(ctx: HttpContext, stored: StoredResponse) {
  ctx.response.header('Idempotent-Replayed', 'true')
  ctx.response.status(stored.status)
  if (stored.body !== null) {
    ctx.response.send(JSON.parse(stored.body))
  }
}

/**
 * `Idempotency-Key` for create endpoints, with Stripe's semantics: the
 * first request with a key runs and its answer (2xx or 4xx) is stored;
 * a retry with the same key and request gets that answer again instead
 * of creating a second resource. A failure (5xx) forgets the key, so the
 * client may retry. See docs/api.md.
 *
 * Keys belong to a user, so this must run after `auth`.
 */
export default class IdempotencyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const key = ctx.request.header('idempotency-key')
    if (key === undefined) {
      return next()
    }
    if (!KEY_FORMAT.test(key)) {
      throw new InvalidIdempotencyKeyException()
    }
    const user = ctx.auth.user
    if (!user || !ctx.route) {
      throw new Error('The idempotent middleware needs an authenticated user: run it after auth')
    }

    const scope = {
      userId: user.id,
      route: `${ctx.request.method()} ${ctx.route.pattern}`,
      key,
    }
    const claim = await IdempotencyKeys.claim(scope, fingerprint(ctx, scope.route))
    if (claim.state === 'reused') {
      throw new IdempotencyKeyReusedException()
    }
    if (claim.state === 'in_progress') {
      throw new IdempotencyInProgressException()
    }
    if (claim.state === 'completed') {
      return replay(ctx, claim.response)
    }

    try {
      // Errors of the handler arrive here already rendered (the route's
      // middleware runner turns them into responses), so 4xx answers
      // from validators and policies are stored like any other.
      await next()
    } catch (error) {
      await IdempotencyKeys.release(claim.lease)
      throw error
    }

    const { response } = ctx
    const body = response.getBody() ?? null
    const replayable =
      !response.hasStream &&
      !response.hasFileToStream &&
      (body === null || (typeof body === 'object' && !(body instanceof Uint8Array)))
    if (response.getStatus() >= 500 || !replayable) {
      await IdempotencyKeys.release(claim.lease)
      return
    }
    try {
      await IdempotencyKeys.complete(scope, claim.lease, {
        status: response.getStatus(),
        body: body === null ? null : JSON.stringify(body),
      })
    } catch (error) {
      // The change is made and the client is owed its answer: failing
      // the request now would invite the very retry that repeats it.
      ctx.logger.error({ err: error }, 'could not store an idempotent response')
    }
  }
}
