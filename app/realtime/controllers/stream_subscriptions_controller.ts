import type { HttpContext } from '@adonisjs/core/http'
import transmit from '@adonisjs/transmit/services/main'
import { ApiException } from '#shared/api_exception'
import { streamSubscriptionValidator } from '#realtime/validators/stream_subscription'

/**
 * transmit's subscribe and unsubscribe, answering in the API's error
 * format. A stream is subscribed to its member's channel when it opens;
 * stock transmit clients still call these, and only that channel is
 * granted.
 */
export default class StreamSubscriptionsController {
  async store(ctx: HttpContext) {
    const { uid, channel } = await ctx.request.validateUsing(streamSubscriptionValidator)
    if (!(await transmit.subscribe({ uid, channel, context: ctx }))) {
      throw new ApiException('You may not listen to this channel', {
        code: 'E_FORBIDDEN',
        status: 403,
      })
    }
    return ctx.response.noContent()
  }

  async destroy(ctx: HttpContext) {
    const { uid, channel } = await ctx.request.validateUsing(streamSubscriptionValidator)
    await transmit.unsubscribe({ uid, channel, context: ctx })
    return ctx.response.noContent()
  }
}
