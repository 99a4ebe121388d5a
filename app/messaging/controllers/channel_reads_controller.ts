import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { ReadState } from '#messaging/services/read_state'
import { markReadValidator } from '#messaging/validators/messages'

@inject()
export default class ChannelReadsController {
  constructor(protected readState: ReadState) {}

  /** `{ seq }`: read up to there (read state never moves back). */
  async store({ request, params, auth }: HttpContext) {
    const { seq } = await request.validateUsing(markReadValidator)
    return { data: await this.readState.markRead(auth.getUserOrFail(), params.id, seq) }
  }
}
