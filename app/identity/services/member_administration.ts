import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User, { type UserRole } from '#identity/models/user'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { MemberDeactivated, MemberReactivated, MemberRoleChanged } from '#identity/events'
import { LastOwnerException } from '#identity/exceptions'
import type { RequestOrigin } from '#identity/request_origin'
import { adminActor, type MemberChangeActor } from '#identity/member_change_actor'
import { LiveUpdates } from '#realtime/services/live_updates'

/**
 * Role changes, deactivation and reactivation of members. Each change, its
 * token revocations and its audit entry commit together.
 *
 * The `*Within` forms compose with a caller's transaction (SCIM, the
 * directory sync); their callers call `announce` after COMMIT.
 */
@inject()
export class MemberAdministration {
  constructor(protected live: LiveUpdates) {}

  async changeRole(actor: User, memberId: number, role: UserRole, origin: RequestOrigin) {
    const member = await db.transaction((trx) =>
      this.changeRoleWithin(trx, adminActor(actor), memberId, role, origin)
    )
    this.announce(member.id)
    return member
  }

  async deactivate(actor: User, memberId: number, origin: RequestOrigin) {
    const member = await db.transaction((trx) =>
      this.deactivateWithin(trx, adminActor(actor), memberId, origin)
    )
    this.announce(member.id)
    return member
  }

  async reactivate(actor: User, memberId: number, origin: RequestOrigin) {
    const member = await db.transaction((trx) =>
      this.reactivateWithin(trx, adminActor(actor), memberId, origin)
    )
    this.announce(member.id)
    return member
  }

  /**
   * A member's role or status changed: at once on every node, their open
   * sockets and streams are reloaded (closed when deactivated). The
   * event's delivery does it again if this process dies first.
   */
  announce(memberId: number) {
    this.live.refreshMember(memberId)
  }

  async changeRoleWithin(
    trx: TransactionClientContract,
    actor: MemberChangeActor,
    memberId: number,
    role: UserRole,
    origin: RequestOrigin
  ) {
    const member = await this.#lock(trx, memberId)
    const previous = member.role
    if (previous === role) {
      return member
    }
    if (previous === 'owner') {
      await this.#ensureAnotherOwner(trx, member)
    }
    member.role = role
    await member.save()
    await AuditTrail.record(trx, {
      actor: actor.audit,
      action: 'member.role_changed',
      target: { type: 'user', id: member.id },
      ...origin,
      metadata: { from: previous, to: role },
    })
    await EventOutbox.append(trx, [
      new MemberRoleChanged({ member_id: member.id, from: previous, to: role }, actor.eventActorId),
    ])
    return member
  }

  async deactivateWithin(
    trx: TransactionClientContract,
    actor: MemberChangeActor,
    memberId: number,
    origin: RequestOrigin
  ) {
    const member = await this.#lock(trx, memberId)
    if (member.status === 'deactivated') {
      return member
    }
    if (member.role === 'owner') {
      await this.#ensureAnotherOwner(trx, member)
    }
    member.status = 'deactivated'
    member.deactivatedAt = DateTime.now()
    member.deactivationSource = actor.source
    await member.save()
    // Revoked in the same transaction: once this commits, no token works.
    const revoked = await User.accessTokens.within(trx, () => User.accessTokens.deleteAll(member))
    await AuditTrail.record(trx, {
      actor: actor.audit,
      action: 'member.deactivated',
      target: { type: 'user', id: member.id },
      ...origin,
      metadata: { revoked_tokens: Number(revoked) },
    })
    await EventOutbox.append(trx, [
      new MemberDeactivated({ member_id: member.id }, actor.eventActorId),
    ])
    return member
  }

  async reactivateWithin(
    trx: TransactionClientContract,
    actor: MemberChangeActor,
    memberId: number,
    origin: RequestOrigin
  ) {
    const member = await this.#lock(trx, memberId)
    if (member.status === 'active') {
      return member
    }
    member.status = 'active'
    member.deactivatedAt = null
    member.deactivationSource = null
    await member.save()
    await AuditTrail.record(trx, {
      actor: actor.audit,
      action: 'member.reactivated',
      target: { type: 'user', id: member.id },
      ...origin,
    })
    await EventOutbox.append(trx, [
      new MemberReactivated({ member_id: member.id }, actor.eventActorId),
    ])
    return member
  }

  #lock(trx: TransactionClientContract, memberId: number) {
    return User.query({ client: trx }).where('id', memberId).forUpdate().firstOrFail()
  }

  /**
   * Owners are locked in id order so two concurrent demotions cannot each
   * see the other as the remaining owner.
   */
  async #ensureAnotherOwner(trx: TransactionClientContract, member: User) {
    const owners = await User.query({ client: trx })
      .where('role', 'owner')
      .where('status', 'active')
      .orderBy('id')
      .forUpdate()
    if (!owners.some((owner) => owner.id !== member.id)) {
      throw new LastOwnerException()
    }
  }
}
