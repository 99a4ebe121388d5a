import { DateTime } from 'luxon'
import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import { MemberAccounts } from '#identity/services/member_accounts'
import { MemberAdministration } from '#identity/services/member_administration'
import { MemberDeactivated, MemberJoined, MemberProfileUpdated } from '#identity/events'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { readUserInput, USER_SCHEMAS, type UserInput } from '#scim/input/user_input'
import { applyPatch } from '#scim/patch/apply_patch'
import type { PatchOperation } from '#scim/patch/apply_patch'
import { userResource, type ScimUserRow } from '#scim/resources/user_resource'
import type { ScimJson } from '#scim/input/canonical_resource'
import { ScimUserDirectory } from '#scim/services/scim_user_directory'
import { ScimUserRecords } from '#scim/services/scim_user_records'
import {
  checkVersion,
  inScimTransaction,
  scimActor,
  type ScimRequest,
} from '#scim/services/scim_request'
import { ScimError } from '#scim/scim_error'
import { GroupGrants } from '#scim/services/group_grants'

/**
 * Creates, replaces, patches and deletes members as SCIM users. Each
 * change, its audit entry (naming the token) and its domain events commit
 * together; a member deactivated here loses every token at once and their
 * sockets close on every node.
 */
@inject()
export class ScimUserProvisioning {
  constructor(
    protected administration: MemberAdministration,
    protected grants: GroupGrants
  ) {}

  async create(request: ScimRequest, body: unknown) {
    const input = await readUserInput(body)
    const { row, statusChanged, userId } = await this.#inTransaction(async (trx) => {
      // One lookup serves both: a deleted resource under this userName is
      // restored (same member); anyone else holding it is a conflict.
      const holders = await ScimUserRecords.holders(trx, input, null)
      const deleted = holders.find((holder) => holder.sameUserName && holder.deleted)
      if (deleted) {
        const user = await this.#lock(trx, deleted.userId)
        return this.#write(trx, request, user, input, 'scim.user_restored')
      }
      if (holders.length > 0) {
        throw ScimUserRecords.conflict(holders[0])
      }
      const user = await MemberAccounts.create(trx, {
        email: input.email,
        fullName: input.fullName,
        password: null,
        role: 'member',
      })
      if (!input.active) {
        user.status = 'deactivated'
        user.deactivatedAt = DateTime.now()
        user.deactivationSource = 'scim'
        await user.save()
      }
      const saved = await ScimUserRecords.save(trx, user.id, input)
      // Made from what was just written, and before the audit entry: from
      // there to COMMIT this transaction holds the tenant's audit head,
      // which every writer waits for.
      const created: ScimUserRow = {
        id: String(user.id),
        email: user.email,
        full_name: user.fullName,
        status: user.status,
        created_at: user.createdAt.toJSDate(),
        last_modified: new Date(Math.max(saved.getTime(), user.updatedAt.toMillis())),
        user_name: input.userName,
        external_id: input.externalId,
        attributes: input.attributes,
        groups: [],
      }
      await AuditTrail.record(trx, {
        actor: scimActor(request.caller).audit,
        action: 'scim.user_created',
        target: { type: 'user', id: user.id },
        ...request.origin,
        metadata: {
          token_name: request.caller.tokenName,
          user_name: input.userName,
          active: input.active,
        },
      })
      await EventOutbox.append(trx, [
        new MemberJoined({ member_id: user.id, role: user.role }, null),
        ...(input.active ? [] : [new MemberDeactivated({ member_id: user.id }, null)]),
      ])
      return { row: created, statusChanged: false, userId: user.id }
    })
    this.#announce(statusChanged, userId)
    return userResource(row, request.baseUrl)
  }

  async replace(request: ScimRequest, id: string, body: unknown) {
    const input = await readUserInput(body)
    return this.#change(request, id, async () => input)
  }

  async patch(request: ScimRequest, id: string, operations: PatchOperation[]) {
    return this.#change(request, id, (current) =>
      readUserInput(applyPatch(current, operations, USER_SCHEMAS))
    )
  }

  /** DELETE: the member is deactivated, keeping their content and history (docs/identity.md). */
  async delete(request: ScimRequest, id: string) {
    const userId = await this.#inTransaction(async (trx) => {
      const row = await ScimUserDirectory.find(id, trx)
      if (!row) {
        throw ScimError.notFound(`No user ${id}`)
      }
      const user = await this.#lock(trx, Number(row.id))
      checkVersion(request, userResource(row, request.baseUrl))
      // Audit entries before domain events, in every transaction (AuditTrail.record).
      await AuditTrail.record(trx, {
        actor: scimActor(request.caller).audit,
        action: 'scim.user_deleted',
        target: { type: 'user', id: user.id },
        ...request.origin,
        metadata: { token_name: request.caller.tokenName },
      })
      await this.#applyActive(trx, request, user, false)
      await ScimUserRecords.markDeleted(trx, user.id, row.user_name ?? row.email)
      // Out of every group: what their mappings granted is taken back.
      await this.grants.reconcile(trx, [user.id], scimActor(request.caller), request.origin)
      return user.id
    })
    this.#announce(true, userId)
  }

  async #change(request: ScimRequest, id: string, next: (current: ScimJson) => Promise<UserInput>) {
    const { row, statusChanged, userId } = await this.#inTransaction(async (trx) => {
      const found = await ScimUserDirectory.find(id, trx)
      if (!found) {
        throw ScimError.notFound(`No user ${id}`)
      }
      const user = await this.#lock(trx, Number(found.id))
      const current = userResource(found, request.baseUrl)
      checkVersion(request, current)
      return this.#write(trx, request, user, await next(current), 'scim.user_updated')
    })
    this.#announce(statusChanged, userId)
    return userResource(row, request.baseUrl)
  }

  async #write(
    trx: TransactionClientContract,
    request: ScimRequest,
    user: User,
    input: UserInput,
    action: 'scim.user_updated' | 'scim.user_restored'
  ) {
    await ScimUserRecords.ensureUnique(trx, input, user.id)
    const fields = [
      ...(user.email !== input.email ? ['email'] : []),
      ...(user.fullName !== input.fullName ? ['full_name'] : []),
    ]
    user.email = input.email
    user.fullName = input.fullName
    await user.save()
    await ScimUserRecords.save(trx, user.id, input)
    await AuditTrail.record(trx, {
      actor: scimActor(request.caller).audit,
      action,
      target: { type: 'user', id: user.id },
      ...request.origin,
      metadata: { token_name: request.caller.tokenName, changed: fields },
    })
    // Audit entries before domain events, in every transaction (AuditTrail.record).
    const statusChanged = await this.#applyActive(trx, request, user, input.active)
    if (fields.length > 0) {
      await EventOutbox.append(trx, [
        new MemberProfileUpdated({ member_id: user.id, fields }, null),
      ])
    }
    return { row: await this.#read(trx, user.id), statusChanged, userId: user.id }
  }

  /**
   * `active` as the IdP sets it. A member an admin (or the directory
   * sync) deactivated stays deactivated when the IdP says active: true;
   * the resource then reads active: false, so the IdP sees the truth.
   */
  async #applyActive(
    trx: TransactionClientContract,
    request: ScimRequest,
    user: User,
    active: boolean
  ) {
    const actor = scimActor(request.caller)
    if (!active && user.isActive) {
      await this.administration.deactivateWithin(trx, actor, user.id, request.origin)
      return true
    }
    const reactivatable = user.deactivationSource === null || user.deactivationSource === 'scim'
    if (active && !user.isActive && reactivatable) {
      await this.administration.reactivateWithin(trx, actor, user.id, request.origin)
      return true
    }
    return false
  }

  async #read(trx: TransactionClientContract, userId: number) {
    const row = await ScimUserDirectory.find(String(userId), trx)
    if (!row) {
      throw ScimError.notFound()
    }
    return row
  }

  #lock(trx: TransactionClientContract, userId: number) {
    return User.query({ client: trx }).where('id', userId).forUpdate().firstOrFail()
  }

  #announce(statusChanged: boolean, userId: number) {
    if (statusChanged) {
      this.administration.announce(userId)
    }
  }

  #inTransaction<T>(work: (trx: TransactionClientContract) => Promise<T>) {
    return inScimTransaction(work, 'userName or email is already taken in this workspace')
  }
}
