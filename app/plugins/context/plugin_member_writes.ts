import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import { memberResource } from '#identity/member_resource'
import { MemberAccounts } from '#identity/services/member_accounts'
import type { MemberAdministration } from '#identity/services/member_administration'
import { MemberJoined, MemberProfileUpdated } from '#identity/events'
import { pluginActor } from '#identity/member_change_actor'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { PluginError, type MemberChange, type MemberProvision } from '#plugins/plugin_api'

/** Plugins act with no request of their own: nothing to record as its origin. */
const NO_ORIGIN = { ip: null, userAgent: null }

function notFound(): never {
  throw new PluginError('E_NOT_FOUND', 'No such member', 404)
}

/**
 * Member accounts as a plugin with `users:write` changes them: each change
 * and its audit entry (the plugin as actor) commit together, and
 * deactivations are recorded as the plugin's, so only it may undo them.
 */
export class PluginMemberWrites {
  constructor(
    protected pluginId: string,
    protected administration: MemberAdministration
  ) {}

  async provision(input: MemberProvision) {
    const actor = pluginActor(this.pluginId)
    const member = await this.#transaction(async (trx) => {
      if (await MemberAccounts.findByEmail(trx, input.email)) {
        throw new PluginError('E_MEMBER_EXISTS', 'A member with this email exists', 409, 'email')
      }
      const created = await MemberAccounts.create(trx, {
        email: input.email,
        fullName: input.full_name,
        password: null,
        role: input.role ?? 'member',
      })
      await AuditTrail.record(trx, {
        actor: actor.audit,
        action: 'member.provisioned',
        target: { type: 'user', id: created.id },
        ...NO_ORIGIN,
        metadata: { email: created.email, role: created.role },
      })
      await EventOutbox.append(trx, [
        new MemberJoined({ member_id: created.id, role: created.role }, null),
      ])
      return created
    })
    return memberResource(member)
  }

  async update(id: number, change: MemberChange) {
    const actor = pluginActor(this.pluginId)
    const member = await this.#transaction(async (trx) => {
      const current = await this.#lock(trx, id)
      if (change.role && (current.role === 'owner' || (change.role as string) === 'owner')) {
        throw new PluginError('E_FORBIDDEN', 'Plugins do not change owners', 403, 'role')
      }
      const fields: string[] = []
      if (change.email !== undefined && change.email.toLowerCase() !== current.email) {
        const holder = await MemberAccounts.findByEmail(trx, change.email)
        if (holder) {
          throw new PluginError('E_MEMBER_EXISTS', 'Another member has this email', 409, 'email')
        }
        current.email = change.email
        fields.push('email')
      }
      if (change.full_name !== undefined && change.full_name !== current.fullName) {
        current.fullName = change.full_name
        fields.push('full_name')
      }
      await current.save()
      if (fields.length > 0) {
        await AuditTrail.record(trx, {
          actor: actor.audit,
          action: 'member.updated',
          target: { type: 'user', id },
          ...NO_ORIGIN,
          metadata: { fields },
        })
      }
      if (change.role && change.role !== current.role) {
        await this.administration.changeRoleWithin(trx, actor, id, change.role, NO_ORIGIN)
      }
      if (fields.length > 0) {
        await EventOutbox.append(trx, [new MemberProfileUpdated({ member_id: id, fields }, null)])
      }
      return current
    })
    this.administration.announce(id)
    return memberResource(await User.findOrFail(member.id))
  }

  async deactivate(id: number) {
    const member = await this.#transaction(async (trx) => {
      await this.#lock(trx, id)
      return this.administration.deactivateWithin(trx, pluginActor(this.pluginId), id, NO_ORIGIN)
    })
    this.administration.announce(id)
    return memberResource(member)
  }

  async reactivate(id: number) {
    const actor = pluginActor(this.pluginId)
    const outcome = await this.#transaction(async (trx) => {
      const current = await this.#lock(trx, id)
      if (current.isActive || current.deactivationSource !== actor.source) {
        return { member: current, reactivated: false }
      }
      const member = await this.administration.reactivateWithin(trx, actor, id, NO_ORIGIN)
      return { member, reactivated: true }
    })
    if (outcome.reactivated) {
      this.administration.announce(id)
    }
    return { member: memberResource(outcome.member), reactivated: outcome.reactivated }
  }

  async #lock(trx: TransactionClientContract, id: number) {
    return (await User.query({ client: trx }).where('id', id).forUpdate().first()) ?? notFound()
  }

  /** Core refusals (the last owner, say) reach the plugin as PluginErrors with their code. */
  async #transaction<T>(work: (trx: TransactionClientContract) => Promise<T>) {
    try {
      return await db.transaction(work)
    } catch (error) {
      const refusal = error as { code?: string; status?: number; message?: string }
      if (!(error instanceof PluginError) && refusal.status && refusal.status < 500) {
        throw new PluginError(
          refusal.code ?? 'E_REQUEST_ERROR',
          refusal.message ?? '',
          refusal.status
        )
      }
      throw error
    }
  }
}
