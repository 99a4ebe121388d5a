import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ApiException } from '#shared/api_exception'
import { UserStreams } from '#realtime/services/user_streams'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Stream ids (`uid`) are chosen by clients: they must be UUIDs, and one
 * that is open for another member cannot be taken over.
 */
@inject()
export default class UserStreamMiddleware {
  constructor(protected streams: UserStreams) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const uid = ctx.request.input('uid')
    if (typeof uid !== 'string' || !UUID.test(uid)) {
      throw new ApiException('uid must be a UUID chosen by the client', {
        code: 'E_VALIDATION_ERROR',
        status: 422,
        field: 'uid',
      })
    }
    if (!this.streams.mayOpen(uid, ctx)) {
      throw new ApiException('This stream id is in use', { code: 'E_STREAM_IN_USE', status: 409 })
    }
    return next()
  }
}
