import type { HttpContext } from '@adonisjs/core/http'
import MemberPolicy from '#identity/policies/member_policy'
import { SignInPolicy } from '#identity/services/sign_in_policy'
import { signInPolicyValidator } from '#identity/validators/auth'
import { requestOrigin } from '#identity/request_origin'

/** `/api/v1/sign-in-policy`: read by admins, changed by owners (they are its break-glass). */
export default class SignInPolicyController {
  async show({ bouncer }: HttpContext) {
    await bouncer.with(MemberPolicy).authorize('readSignInPolicy')
    return { data: await SignInPolicy.current() }
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(MemberPolicy).authorize('changeSignInPolicy')
    const { require_sso: requireSso } = await ctx.request.validateUsing(signInPolicyValidator)
    const policy = await SignInPolicy.set(ctx.auth.getUserOrFail(), requireSso, requestOrigin(ctx))
    return { data: policy }
  }
}
