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
    if (!(await transmit.getManager().verifyAccess(channel, ctx))) {
      throw new ApiException('You may not listen to this channel', {
        code: 'E_FORBIDDEN',
        status: 403,
      })
    }
    // Streams live on the node they were opened on.
    if (!(await transmit.subscribe({ uid, channel, context: ctx, skipAuthorization: true }))) {
      throw new ApiException('No stream with this uid is open on this node', {
        code: 'E_NOT_FOUND',
        status: 404,
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
