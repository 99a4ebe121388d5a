import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#identity/models/user'
import MemberPolicy from '#identity/policies/member_policy'
import { listMembersValidator, updateMemberValidator } from '#identity/validators/members'
import { MemberAdministration } from '#identity/services/member_administration'
import { memberResource } from '#identity/member_resource'
import { requestOrigin } from '#identity/request_origin'
import { paginateByKey } from '#shared/pagination'

@inject()
export default class MembersController {
  constructor(protected administration: MemberAdministration) {}

  async index({ request, bouncer }: HttpContext) {
    await bouncer.with(MemberPolicy).authorize('list')
    const filters = await request.validateUsing(listMembersValidator, { data: request.qs() })
    const query = User.query()
    if (filters.status) {
      query.where('status', filters.status)
    }
    const page = await paginateByKey(query, filters, {
      columns: ['id'],
      direction: 'asc',
      of: (user) => [user.id],
    })
    return { data: page.items.map(memberResource), meta: { next_cursor: page.nextCursor } }
  }

  async update(ctx: HttpContext) {
    const { role } = await ctx.request.validateUsing(updateMemberValidator)
    const member = await User.findOrFail(ctx.params.id)
    await ctx.bouncer.with(MemberPolicy).authorize('changeRole', member, role)
    const updated = await this.administration.changeRole(
      ctx.auth.getUserOrFail(),
      member.id,
      role,
      requestOrigin(ctx)
    )
    return { data: memberResource(updated) }
  }

  async deactivate(ctx: HttpContext) {
    return this.#setStatus(ctx, 'deactivate')
  }

  async reactivate(ctx: HttpContext) {
    return this.#setStatus(ctx, 'reactivate')
  }

  async #setStatus(ctx: HttpContext, action: 'deactivate' | 'reactivate') {
    const member = await User.findOrFail(ctx.params.id)
    await ctx.bouncer.with(MemberPolicy).authorize(action, member)
    const updated = await this.administration[action](
      ctx.auth.getUserOrFail(),
      member.id,
      requestOrigin(ctx)
    )
    return { data: memberResource(updated) }
  }
}
