import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { requestOrigin } from '#identity/request_origin'
import { ChannelAdministration } from '#messaging/services/channel_administration'
import { ChannelDirectory } from '#messaging/services/channel_directory'
import {
  createChannelValidator,
  listChannelsValidator,
  updateChannelValidator,
} from '#messaging/validators/channels'

/** Channels; the services authorize (ChannelPolicy), as they do for sockets. */
@inject()
export default class ChannelsController {
  constructor(protected administration: ChannelAdministration) {}

  async index({ request, auth }: HttpContext) {
    const { scope, ...page } = await request.validateUsing(listChannelsValidator, {
      data: request.qs(),
    })
    const user = auth.getUserOrFail()
    return scope === 'browsable'
      ? ChannelDirectory.browsable(user, page)
      : ChannelDirectory.joined(user, page)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createChannelValidator)
    const channel = await this.administration.create(
      ctx.auth.getUserOrFail(),
      input,
      requestOrigin(ctx)
    )
    ctx.response.status(201)
    return { data: channel }
  }

  async show({ params, auth }: HttpContext) {
    return { data: await ChannelDirectory.show(auth.getUserOrFail(), params.id) }
  }

  async update({ request, params, auth }: HttpContext) {
    const input = await request.validateUsing(updateChannelValidator)
    return { data: await this.administration.update(auth.getUserOrFail(), params.id, input) }
  }

  async destroy(ctx: HttpContext) {
    await this.administration.delete(ctx.auth.getUserOrFail(), ctx.params.id, requestOrigin(ctx))
    return ctx.response.noContent()
  }
}
