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
import { LiveUpdates } from '#realtime/services/live_updates'

/**
 * Role changes, deactivation and reactivation of members. Each change, its
 * token revocations and its audit entry commit together.
 */
@inject()
export class MemberAdministration {
  constructor(protected live: LiveUpdates) {}

  async changeRole(actor: User, memberId: number, role: UserRole, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
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
        actor: { type: 'user', id: actor.id },
        action: 'member.role_changed',
        target: { type: 'user', id: member.id },
        ...origin,
        metadata: { from: previous, to: role },
      })
      await EventOutbox.append(trx, [
        new MemberRoleChanged({ member_id: member.id, from: previous, to: role }, actor.id),
      ])
      return member
    })
  }

  async deactivate(actor: User, memberId: number, origin: RequestOrigin) {
    const deactivated = await db.transaction(async (trx) => {
      const member = await this.#lock(trx, memberId)
      if (member.status === 'deactivated') {
        return member
      }
      if (member.role === 'owner') {
        await this.#ensureAnotherOwner(trx, member)
      }
      member.status = 'deactivated'
      member.deactivatedAt = DateTime.now()
      await member.save()
      // Revoked in the same transaction: once this commits, no token works.
      const revoked = await User.accessTokens.within(trx, () => User.accessTokens.deleteAll(member))
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'member.deactivated',
        target: { type: 'user', id: member.id },
        ...origin,
        metadata: { revoked_tokens: Number(revoked) },
      })
      await EventOutbox.append(trx, [new MemberDeactivated({ member_id: member.id }, actor.id)])
      return member
    })
    // At once on every node; the event's delivery does it again if this
    // process dies first.
    this.live.refreshMember(deactivated.id)
    return deactivated
  }

  async reactivate(actor: User, memberId: number, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
      const member = await this.#lock(trx, memberId)
      if (member.status === 'active') {
        return member
      }
      member.status = 'active'
      member.deactivatedAt = null
      await member.save()
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'member.reactivated',
        target: { type: 'user', id: member.id },
        ...origin,
      })
      await EventOutbox.append(trx, [new MemberReactivated({ member_id: member.id }, actor.id)])
      return member
    })
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
