import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import limiter from '@adonisjs/limiter/services/main'
import { errors as authErrors } from '@adonisjs/auth'
import User from '#identity/models/user'
import { AuditTrail } from '#audit/services/audit_trail'
import { TenantContext } from '#tenancy/tenant_context'
import type { RequestOrigin } from '#identity/request_origin'
import type { AccessToken } from '@adonisjs/auth/access_tokens'
import { EventOutbox } from '#events/event_outbox'
import { SessionRevoked } from '#identity/events'
import { LiveUpdates } from '#realtime/services/live_updates'
import {
  AccountDeactivatedException,
  InvalidCredentialsException,
  SsoRequiredException,
  TooManyAttemptsException,
} from '#identity/exceptions'
import { SignInPolicy } from '#identity/services/sign_in_policy'

/*
 * 10 failures per (tenant, email, IP) in 15 minutes, then 15 minutes of
 * refusal. The same answer is given whether or not the email exists.
 */
const loginThrottle = () =>
  limiter.use({ requests: 10, duration: '15 mins', blockDuration: '15 mins' })

@inject()
export class Authentication {
  constructor(protected live: LiveUpdates) {}

  async login(email: string, password: string, origin: RequestOrigin) {
    const normalized = email.toLowerCase()
    const key = `login:${TenantContext.currentOrFail().id}:${normalized}:${origin.ip ?? '-'}`
    const throttle = loginThrottle()

    const [throttled, user] = await throttle
      .penalize(key, () => User.verifyCredentials(normalized, password))
      .catch(async (error) => {
        if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
          await this.#recordFailure(normalized, origin, 'invalid_credentials')
          throw new InvalidCredentialsException()
        }
        throw error
      })

    if (throttled) {
      await this.#recordFailure(normalized, origin, 'throttled')
      throw new TooManyAttemptsException(throttled.response.availableIn)
    }
    if (!user.isActive) {
      await this.#recordFailure(normalized, origin, 'deactivated')
      throw new AccountDeactivatedException()
    }
    // Checked after the password, so the answer says nothing to who does not know it.
    const policy = await SignInPolicy.passwordSignIn(user)
    if (!policy.allowed) {
      await this.#recordFailure(normalized, origin, 'sso_required')
      throw new SsoRequiredException()
    }

    return db.transaction(async (trx) => {
      const token = await User.accessTokens.within(trx, () =>
        User.accessTokens.create(user, ['*'], { name: 'login' })
      )
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: user.id },
        action: 'auth.login',
        target: { type: 'user', id: user.id },
        ...origin,
        metadata: {
          token_id: String(token.identifier),
          method: 'password',
          ...(policy.breakGlass ? { break_glass: true } : {}),
        },
      })
      return { user, token }
    })
  }

  async logout(user: User, token: AccessToken, origin: RequestOrigin) {
    await db.transaction(async (trx) => {
      await User.accessTokens.within(trx, () => User.accessTokens.delete(user, token.identifier))
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: user.id },
        action: 'auth.logout',
        target: { type: 'user', id: user.id },
        ...origin,
        metadata: { token_id: String(token.identifier) },
      })
      await EventOutbox.append(trx, [
        new SessionRevoked({ user_id: user.id, token_id: String(token.identifier) }, user.id),
      ])
    })
    // At once on every node; the event's delivery does it again if this
    // process dies first.
    this.live.revokeToken(String(token.identifier))
  }

  async #recordFailure(email: string, origin: RequestOrigin, reason: string) {
    await db.transaction((trx) =>
      AuditTrail.record(trx, {
        actor: { type: 'system' },
        action: 'auth.login_failed',
        ...origin,
        metadata: { email, reason },
      })
    )
  }
}
