import type User from '#identity/models/user'
import type { UserRole } from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'

/**
 * | action                    | owner | admin          | member | guest |
 * | list members              | yes   | yes            | yes    | no    |
 * | invite                    | yes   | yes, not owner | no     | no    |
 * | change a role             | yes   | not to/from owner | no  | no    |
 * | deactivate / reactivate   | yes   | not an owner   | no     | no    |
 * | read the sign-in policy   | yes   | yes            | no     | no    |
 * | change it (require SSO)   | yes   | no             | no     | no    |
 */
export default class MemberPolicy extends TenantPolicy {
  list(user: User) {
    return this.isMember(user)
  }

  invite(user: User, role: UserRole) {
    return this.isOwner(user) || (this.isAdmin(user) && role !== 'owner')
  }

  changeRole(user: User, member: User, role: UserRole) {
    if (this.isOwner(user)) {
      return true
    }
    return this.isAdmin(user) && member.role !== 'owner' && role !== 'owner'
  }

  deactivate(user: User, member: User) {
    if (user.id === member.id) {
      return false
    }
    return this.isOwner(user) || (this.isAdmin(user) && member.role !== 'owner')
  }

  reactivate(user: User, member: User) {
    return this.isOwner(user) || (this.isAdmin(user) && member.role !== 'owner')
  }

  readSignInPolicy(user: User) {
    return this.isAdmin(user)
  }

  /** Owners only: they keep password sign-in when SSO is required. */
  changeSignInPolicy(user: User) {
    return this.isOwner(user)
  }
}
