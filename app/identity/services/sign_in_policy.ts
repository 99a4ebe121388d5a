import db from '@adonisjs/lucid/services/db'
import { TenantContext } from '#tenancy/tenant_context'
import { AuditTrail } from '#audit/services/audit_trail'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'

export interface SignInPolicyState {
  require_sso: boolean
  updated_by: number | null
  updated_at: string
}

function table() {
  return TenantContext.table('sign_in_policy')
}

function stateOf(row: { require_sso: boolean; updated_by: string | null; updated_at: Date }) {
  return {
    require_sso: row.require_sso,
    updated_by: row.updated_by === null ? null : Number(row.updated_by),
    updated_at: new Date(row.updated_at).toISOString(),
  }
}

/**
 * How the workspace's members may sign in. "Require SSO" turns password
 * sign-in off for everyone but owners: they keep it as the break-glass
 * path for when the identity provider is down or misconfigured.
 */
export class SignInPolicy {
  static async current(): Promise<SignInPolicyState> {
    return stateOf(await db.from(table()).firstOrFail())
  }

  static async set(owner: User, requireSso: boolean, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
      const previous = await trx.from(table()).forUpdate().firstOrFail()
      const [row] = await trx
        .from(table())
        .update({ require_sso: requireSso, updated_by: owner.id, updated_at: new Date() })
        .returning('*')
      if (previous.require_sso !== requireSso) {
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: owner.id },
          action: 'workspace.sign_in_policy_changed',
          ...origin,
          metadata: { require_sso: { from: previous.require_sso, to: requireSso } },
        })
      }
      return stateOf(row)
    })
  }

  /** Whether a member may sign in with a password, and whether that is the break-glass path. */
  static async passwordSignIn(user: User) {
    const { require_sso: requireSso } = await this.current()
    return { allowed: !requireSso || user.role === 'owner', breakGlass: requireSso }
  }
}
