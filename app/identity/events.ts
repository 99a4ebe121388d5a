import { DomainEvent } from '#events/domain_event'

/*
 * Domain events of the identity module (payload version 1 each).
 */

export class MemberInvited extends DomainEvent<{
  invitation_id: number
  email: string
  role: string
}> {
  static readonly type = 'member.invited'
}

export class MemberJoined extends DomainEvent<{ member_id: number; role: string }> {
  static readonly type = 'member.joined'
}

export class MemberRoleChanged extends DomainEvent<{
  member_id: number
  from: string
  to: string
}> {
  static readonly type = 'member.role_changed'
}

export class MemberDeactivated extends DomainEvent<{ member_id: number }> {
  static readonly type = 'member.deactivated'
}

export class MemberReactivated extends DomainEvent<{ member_id: number }> {
  static readonly type = 'member.reactivated'
}

/** An access token was revoked (sign-out): its live connections close. */
export class SessionRevoked extends DomainEvent<{ user_id: number; token_id: string }> {
  static readonly type = 'session.revoked'
}

/** A member's name or sign-in email changed (by a provisioning source). */
export class MemberProfileUpdated extends DomainEvent<{ member_id: number; fields: string[] }> {
  static readonly type = 'member.profile_updated'
}
