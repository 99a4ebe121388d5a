import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DirectMessages } from '#messaging/services/direct_messages'
import { openDirectMessageValidator } from '#messaging/validators/channels'

@inject()
export default class DirectMessagesController {
  constructor(protected directMessages: DirectMessages) {}

  /** 201 with a new conversation; 200 with the one these members already have. */
  async store({ request, response, auth }: HttpContext) {
    const { user_ids: userIds } = await request.validateUsing(openDirectMessageValidator)
    const { channel, created } = await this.directMessages.open(auth.getUserOrFail(), userIds)
    response.status(created ? 201 : 200)
    return { data: channel }
  }
}
