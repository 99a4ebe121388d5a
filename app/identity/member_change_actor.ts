import type { AuditActor } from '#audit/services/audit_trail'
import type User from '#identity/models/user'

/** Who deactivated a member: one source never undoes another's decision. */
export type DeactivationSource = 'admin' | 'scim' | `plugin:${string}`

/**
 * Who changes a member account: an admin in Tandem, or a provisioning
 * source (a SCIM token, the directory sync) acting for the workspace.
 */
export interface MemberChangeActor {
  audit: AuditActor
  /** The actor id domain events carry (null for provisioning sources). */
  eventActorId: number | null
  source: DeactivationSource
}

export function adminActor(user: User): MemberChangeActor {
  return { audit: { type: 'user', id: user.id }, eventActorId: user.id, source: 'admin' }
}

/** A plugin with `users:write` (a directory sync, SSO's just-in-time provisioning). */
export function pluginActor(pluginId: string): MemberChangeActor {
  return {
    audit: { type: 'plugin', id: pluginId },
    eventActorId: null,
    source: `plugin:${pluginId}`,
  }
}
