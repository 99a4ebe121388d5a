import type User from '#identity/models/user'
import { TenantPolicy } from '#identity/policies/tenant_policy'
import type { ChannelScope } from '#messaging/services/channel_access'
import type { MessageRow } from '#messaging/tables'

/**
 * Who may do what in a channel they can see (ChannelAccess decides that:
 * members see their channels, full members also see every public
 * channel, guests only the channels they were added to). The messaging
 * services ask this policy themselves, so the socket gateway and the REST
 * API enforce the same rules.
 *
 * | action                                  | ws admin | ch owner | ch member        | not joined (public) |
 * | read messages, members, pins, revisions | yes      | yes      | yes              | yes                 |
 * | create a channel                        | every full member, not guests                             |
 * | post, react, pin, mark read             | if member | yes     | yes              | no                  |
 * | edit a message                          | its author, while a member                                |
 * | delete a message                        | yes      | yes      | its author       | no                  |
 * | rename, archive, delete the channel     | yes      | yes      | no               | no                  |
 * | add members                             | yes      | yes      | yes, not guests  | only themself (join)|
 * | remove a member                         | yes      | yes      | only themself    | no                  |
 *
 * Direct conversations have a fixed member set and nobody manages them.
 */
export default class ChannelPolicy extends TenantPolicy {
  create(user: User) {
    return this.isMember(user)
  }

  /** Listing the public channels one has not joined. */
  browse(user: User) {
    return this.isMember(user)
  }

  participate(user: User, scope: ChannelScope) {
    return user.isActive && scope.membership !== null
  }

  editMessage(user: User, scope: ChannelScope, message: MessageRow) {
    return this.participate(user, scope) && message.sender_id === user.id
  }

  deleteMessage(user: User, scope: ChannelScope, message: MessageRow) {
    return (
      this.isAdmin(user) ||
      (user.isActive && scope.membership?.role === 'owner') ||
      this.editMessage(user, scope, message)
    )
  }

  manage(user: User, scope: ChannelScope) {
    if (scope.channel.kind === 'direct') {
      return false
    }
    return this.isAdmin(user) || (user.isActive && scope.membership?.role === 'owner')
  }

  addMembers(user: User, scope: ChannelScope, userIds: number[]) {
    if (scope.channel.kind === 'direct' || !this.isMember(user)) {
      return false
    }
    if (this.manage(user, scope) || scope.membership !== null) {
      return true
    }
    return scope.channel.kind === 'public' && userIds.every((id) => id === user.id)
  }

  removeMember(user: User, scope: ChannelScope, userId: number) {
    if (scope.channel.kind === 'direct') {
      return false
    }
    return userId === user.id ? scope.membership !== null : this.manage(user, scope)
  }
}
