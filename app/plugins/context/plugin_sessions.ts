import db from '@adonisjs/lucid/services/db'
import User from '#identity/models/user'
import { memberResource } from '#identity/member_resource'
import { AuditTrail } from '#audit/services/audit_trail'
import { PluginError, type IssuedSession, type SignInContext } from '#plugins/plugin_api'

/**
 * Signs members in for a plugin with `sessions:write` that authenticated
 * them itself: the same access token, expiry and audit entry as a
 * password sign-in, with the method and plugin recorded.
 */
export async function issueSession(
  pluginId: string,
  memberId: number,
  login: SignInContext
): Promise<IssuedSession> {
  const user = await User.find(memberId)
  if (!user) {
    throw new PluginError('E_NOT_FOUND', 'No such member', 404)
  }
  if (!user.isActive) {
    throw new PluginError('E_ACCOUNT_DEACTIVATED', 'This account is deactivated', 403)
  }
  const token = await db.transaction(async (trx) => {
    const issued = await User.accessTokens.within(trx, () =>
      User.accessTokens.create(user, ['*'], { name: `${pluginId}:${login.method}` })
    )
    await AuditTrail.record(trx, {
      actor: { type: 'user', id: user.id },
      action: 'auth.login',
      target: { type: 'user', id: user.id },
      ip: login.ip,
      userAgent: login.user_agent ?? null,
      metadata: { token_id: String(issued.identifier), method: login.method, plugin: pluginId },
    })
    return issued
  })
  return {
    token: token.value!.release(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    member: memberResource(user),
  }
}
