import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#identity/validators/auth'
import { Authentication } from '#identity/services/authentication'
import { requestOrigin } from '#identity/request_origin'
import { memberResource } from '#identity/member_resource'
import { TooManyAttemptsException } from '#identity/exceptions'

@inject()
export default class SessionController {
  constructor(protected authentication: Authentication) {}

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    try {
      const { user, token } = await this.authentication.login(email, password, requestOrigin(ctx))
      return ctx.response.created({
        data: {
          token: token.value!.release(),
          type: 'bearer',
          expires_at: token.expiresAt?.toISOString() ?? null,
          user: memberResource(user),
        },
      })
    } catch (error) {
      if (error instanceof TooManyAttemptsException) {
        ctx.response.header('Retry-After', String(error.retryAfterSeconds))
      }
      throw error
    }
  }

  async logout(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    await this.authentication.logout(user, user.currentAccessToken, requestOrigin(ctx))
    return ctx.response.noContent()
  }

  async me({ auth }: HttpContext) {
    return { data: memberResource(auth.getUserOrFail()) }
  }
}
