import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { requestOrigin } from '#identity/request_origin'
import { ChannelAdministration } from '#messaging/services/channel_administration'
import { ChannelDirectory } from '#messaging/services/channel_directory'
import { ChannelMembers } from '#messaging/services/channel_members'
import { channelMemberResource } from '#messaging/resources'
import {
  addChannelMembersValidator,
  listChannelMembersValidator,
} from '#messaging/validators/channels'

@inject()
export default class ChannelMembersController {
  constructor(protected administration: ChannelAdministration) {}

  async index({ request, params, auth }: HttpContext) {
    const page = await request.validateUsing(listChannelMembersValidator, { data: request.qs() })
    return ChannelDirectory.members(auth.getUserOrFail(), params.id, page)
  }

  /** 201 when someone was added; 200 when all of them were members already. */
  async store(ctx: HttpContext) {
    const { user_ids: userIds } = await ctx.request.validateUsing(addChannelMembersValidator)
    const added = await this.administration.addMembers(
      ctx.auth.getUserOrFail(),
      ctx.params.id,
      userIds,
      requestOrigin(ctx)
    )
    const rows = await ChannelMembers.listing(ctx.params.id)
      .whereIn('cm.user_id', userIds)
      .orderBy('cm.user_id')
    ctx.response.status(added.length > 0 ? 201 : 200)
    return { data: rows.map(channelMemberResource) }
  }

  /** Removing oneself is leaving. */
  async destroy(ctx: HttpContext) {
    await this.administration.removeMember(
      ctx.auth.getUserOrFail(),
      ctx.params.id,
      ctx.params.userId,
      requestOrigin(ctx)
    )
    return ctx.response.noContent()
  }
}
