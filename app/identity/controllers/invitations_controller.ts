import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import MemberPolicy from '#identity/policies/member_policy'
import { acceptInvitationValidator, inviteMemberValidator } from '#identity/validators/members'
import { Invitations } from '#identity/services/invitations'
import { memberResource } from '#identity/member_resource'
import { requestOrigin } from '#identity/request_origin'

@inject()
export default class InvitationsController {
  constructor(protected invitations: Invitations) {}

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(inviteMemberValidator)
    await ctx.bouncer.with(MemberPolicy).authorize('invite', payload.role)
    const { invitation, token } = await this.invitations.invite(
      ctx.auth.getUserOrFail(),
      payload,
      requestOrigin(ctx)
    )
    return ctx.response.created({
      data: {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        expires_at: invitation.expiresAt.toISO(),
        // Shown once: only its hash is stored.
        token,
        accept_url: `/api/v1/invitations/${token}/accept`,
      },
    })
  }

  async accept(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(acceptInvitationValidator)
    const member = await this.invitations.accept(
      String(ctx.params.token),
      { fullName: payload.full_name, password: payload.password },
      requestOrigin(ctx)
    )
    return ctx.response.created({ data: memberResource(member) })
  }
}
