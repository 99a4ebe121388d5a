import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#identity/validators/auth'
import { Authentication } from '#identity/services/authentication'
import { requestOrigin } from '#identity/request_origin'
import { memberResource } from '#identity/member_resource'
import { SignInPolicy } from '#identity/services/sign_in_policy'
import { PluginHooks } from '#plugins/services/plugin_hooks'

@inject()
export default class SessionController {
  constructor(
    protected authentication: Authentication,
    protected hooks: PluginHooks
  ) {}

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    const { user, token } = await this.authentication.login(email, password, requestOrigin(ctx))
    return ctx.response.created({
      data: {
        token: token.value!.release(),
        type: 'bearer',
        expires_at: token.expiresAt?.toISOString() ?? null,
        user: memberResource(user),
      },
    })
  }

  async logout(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    await this.authentication.logout(user, user.currentAccessToken, requestOrigin(ctx))
    return ctx.response.noContent()
  }

  async me({ auth }: HttpContext) {
    return { data: memberResource(auth.getUserOrFail()) }
  }

  /** How one may sign in here, for the sign-in page: password (unless SSO is required) and SSO. */
  async providers() {
    const [policy, offered] = await Promise.all([
      SignInPolicy.current(),
      this.hooks.signInProviders(),
    ])
    return {
      data: {
        password: { enabled: true, owners_only: policy.require_sso },
        providers: offered,
      },
    }
  }
}
