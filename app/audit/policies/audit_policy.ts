import type User from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'

/**
 * Only workspace admins and owners read the audit trail.
 */
export default class AuditPolicy extends TenantPolicy {
  view(user: User) {
    return this.isAdmin(user)
  }
}
