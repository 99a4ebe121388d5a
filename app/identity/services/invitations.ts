import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Invitation from '#identity/models/invitation'
import type User from '#identity/models/user'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { MemberInvited, MemberJoined } from '#identity/events'
import { MemberAccounts } from '#identity/services/member_accounts'
import { InvitationInvalidException, MemberExistsException } from '#identity/exceptions'
import type { RequestOrigin } from '#identity/request_origin'

const INVITATION_LIFETIME_DAYS = 7

function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Invitations carry a random token shown once to the inviter (to send by
 * mail); only its hash is stored.
 */
export class Invitations {
  async invite(
    inviter: User,
    data: { email: string; role: Invitation['role'] },
    origin: RequestOrigin
  ) {
    const email = data.email.toLowerCase()
    const token = randomBytes(32).toString('base64url')
    const invitation = await db.transaction(async (trx) => {
      if (await MemberAccounts.findByEmail(trx, email)) {
        throw new MemberExistsException()
      }
      const created = await Invitation.create(
        {
          email,
          role: data.role,
          tokenHash: hashToken(token),
          invitedById: inviter.id,
          expiresAt: DateTime.now().plus({ days: INVITATION_LIFETIME_DAYS }),
        },
        { client: trx }
      )
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: inviter.id },
        action: 'member.invited',
        target: { type: 'invitation', id: created.id },
        ...origin,
        metadata: { email, role: data.role },
      })
      await EventOutbox.append(trx, [
        new MemberInvited({ invitation_id: created.id, email, role: data.role }, inviter.id),
      ])
      return created
    })
    return { invitation, token }
  }

  async accept(token: string, data: { fullName: string; password: string }, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
      const invitation = await Invitation.query({ client: trx })
        .where('token_hash', hashToken(token))
        .forUpdate()
        .first()
      if (!invitation || invitation.acceptedAt || invitation.expiresAt < DateTime.now()) {
        throw new InvitationInvalidException()
      }
      if (await MemberAccounts.findByEmail(trx, invitation.email)) {
        throw new MemberExistsException()
      }
      const member = await MemberAccounts.create(trx, {
        email: invitation.email,
        fullName: data.fullName,
        password: data.password,
        role: invitation.role,
      })
      invitation.acceptedAt = DateTime.now()
      invitation.acceptedUserId = member.id
      await invitation.useTransaction(trx).save()
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: member.id },
        action: 'member.joined',
        target: { type: 'user', id: member.id },
        ...origin,
        metadata: { invitation_id: invitation.id, role: member.role },
      })
      await EventOutbox.append(trx, [
        new MemberJoined({ member_id: member.id, role: member.role }, member.id),
      ])
      return member
    })
  }
}
