import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { MessageReactions } from '#messaging/services/message_reactions'
import { reactionValidator } from '#messaging/validators/messages'

/** `/messages/:id/reactions/:emoji`, the emoji URL-encoded. */
@inject()
export default class MessageReactionsController {
  constructor(protected reactions: MessageReactions) {}

  /** 201 when added; 200 when the caller had this reaction already. */
  async update({ request, response, params, auth }: HttpContext) {
    const { emoji } = await request.validateUsing(reactionValidator, {
      data: { emoji: params.emoji },
    })
    const { message, added } = await this.reactions.add(auth.getUserOrFail(), params.id, emoji)
    response.status(added ? 201 : 200)
    return { data: message }
  }

  /** 204 whether or not the caller had this reaction. */
  async destroy({ request, response, params, auth }: HttpContext) {
    const { emoji } = await request.validateUsing(reactionValidator, {
      data: { emoji: params.emoji },
    })
    await this.reactions.remove(auth.getUserOrFail(), params.id, emoji)
    return response.noContent()
  }
}
