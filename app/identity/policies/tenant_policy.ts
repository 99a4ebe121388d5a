import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#identity/models/user'

/**
 * The questions every tenant policy asks, so each policy reads like its
 * permission table.
 */
export abstract class TenantPolicy extends BasePolicy {
  protected isAdmin(user: User) {
    return user.isActive && (user.role === 'owner' || user.role === 'admin')
  }

  protected isOwner(user: User) {
    return user.isActive && user.role === 'owner'
  }

  /** Full members: everyone but guests, who see only what they are invited to. */
  protected isMember(user: User) {
    return user.isActive && user.role !== 'guest'
  }
}
