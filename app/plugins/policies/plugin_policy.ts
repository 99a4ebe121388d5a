import type User from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'

/**
 * | action                                   | owner | admin | member | guest |
 * | see the catalog and what is installed    | yes   | yes   | yes    | no    |
 * | see settings and metrics; install, configure, enable, disable, remove | yes | yes | no | no |
 */
export default class PluginPolicy extends TenantPolicy {
  list(user: User) {
    return this.isMember(user)
  }

  manage(user: User) {
    return this.isAdmin(user)
  }
}
