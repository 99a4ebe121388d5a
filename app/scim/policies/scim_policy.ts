import type User from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'

/**
 * Provisioning is configured by workspace admins and owners only: SCIM
 * tokens, and how SCIM groups map to roles and projects.
 */
export default class ScimPolicy extends TenantPolicy {
  manage(user: User) {
    return this.isAdmin(user)
  }
}
