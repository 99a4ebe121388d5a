import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { requestOrigin } from '#identity/request_origin'
import { ChannelHistory } from '#messaging/services/channel_history'
import { MessagePosting } from '#messaging/services/message_posting'
import { MessageEditing } from '#messaging/services/message_editing'
import { MessagingInputException } from '#messaging/exceptions'
import {
  editMessageValidator,
  listMessagesValidator,
  listRevisionsValidator,
  postMessageValidator,
} from '#messaging/validators/messages'

@inject()
export default class MessagesController {
  constructor(
    protected posting: MessagePosting,
    protected editing: MessageEditing
  ) {}

  /**
   * `after_seq` (without `thread_id`): the catch-up feed. Otherwise
   * scrollback, of the top level or of one thread.
   */
  async index({ request, params, auth }: HttpContext) {
    const query = await request.validateUsing(listMessagesValidator, { data: request.qs() })
    const user = auth.getUserOrFail()
    if (query.thread_id === undefined && query.after_seq !== undefined) {
      if (query.before_seq !== undefined) {
        throw new MessagingInputException(
          'before_seq',
          'after_seq reads the changes feed and before_seq scrolls back: send one of them'
        )
      }
      return ChannelHistory.changesAfter(user, params.id, query.after_seq, query.limit)
    }
    return ChannelHistory.page(user, params.id, {
      beforeSeq: query.before_seq,
      threadId: query.thread_id,
      afterSeq: query.after_seq,
      limit: query.limit,
    })
  }

  /** 201 when posted; 200 with the stored message when this client_id was posted before. */
  async store({ request, response, params, auth }: HttpContext) {
    const input = await request.validateUsing(postMessageValidator)
    const { message, created } = await this.posting.post(auth.getUserOrFail(), params.id, {
      body: input.body,
      clientId: input.client_id,
      threadId: input.thread_id,
    })
    response.status(created ? 201 : 200)
    return { data: message }
  }

  async show({ params, auth }: HttpContext) {
    return { data: await ChannelHistory.message(auth.getUserOrFail(), params.id) }
  }

  async update({ request, params, auth }: HttpContext) {
    const { body } = await request.validateUsing(editMessageValidator)
    return { data: await this.editing.edit(auth.getUserOrFail(), params.id, body) }
  }

  async destroy(ctx: HttpContext) {
    await this.editing.delete(ctx.auth.getUserOrFail(), ctx.params.id, requestOrigin(ctx))
    return ctx.response.noContent()
  }

  /** What the message said before each edit, oldest first. */
  async revisions({ request, params, auth }: HttpContext) {
    const page = await request.validateUsing(listRevisionsValidator, { data: request.qs() })
    return this.editing.revisions(auth.getUserOrFail(), params.id, page)
  }
}
