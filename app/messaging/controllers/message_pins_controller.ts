import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { MessagePins } from '#messaging/services/message_pins'
import { listPinsValidator } from '#messaging/validators/messages'

@inject()
export default class MessagePinsController {
  constructor(protected pins: MessagePins) {}

  /** A channel's pinned messages, latest first. */
  async index({ request, params, auth }: HttpContext) {
    const page = await request.validateUsing(listPinsValidator, { data: request.qs() })
    return this.pins.list(auth.getUserOrFail(), params.id, page)
  }

  /** The pinned message (pinning it again changes nothing). */
  async store({ params, auth }: HttpContext) {
    return { data: await this.pins.pin(auth.getUserOrFail(), params.id) }
  }

  async destroy({ response, params, auth }: HttpContext) {
    await this.pins.unpin(auth.getUserOrFail(), params.id)
    return response.noContent()
  }
}
