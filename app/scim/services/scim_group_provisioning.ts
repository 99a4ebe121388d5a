import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { inject } from '@adonisjs/core'
import { TenantContext } from '#tenancy/tenant_context'
import { AuditTrail } from '#audit/services/audit_trail'
import { readGroupInput, GROUP_SCHEMAS, type GroupInput } from '#scim/input/group_input'
import { applyPatch, type PatchOperation } from '#scim/patch/apply_patch'
import { groupResource } from '#scim/resources/group_resource'
import type { ScimJson } from '#scim/input/canonical_resource'
import { isGroupId, ScimGroupDirectory } from '#scim/services/scim_group_directory'
import {
  checkVersion,
  inScimTransaction,
  scimActor,
  type ScimRequest,
} from '#scim/services/scim_request'
import { ScimError } from '#scim/scim_error'
import { GroupGrants } from '#scim/services/group_grants'

const tables = () => ({
  groups: TenantContext.table('scim_groups'),
  memberships: TenantContext.table('scim_group_members'),
  users: TenantContext.table('users'),
  scimUsers: TenantContext.table('scim_users'),
})

/**
 * Creates, replaces, patches and deletes SCIM groups and their
 * memberships; each change, its audit entry and what the group's
 * mapping grants or takes back (GroupGrants) commit together.
 */
@inject()
export class ScimGroupProvisioning {
  constructor(protected grants: GroupGrants) {}

  async create(request: ScimRequest, body: unknown) {
    const input = await readGroupInput(body)
    const id = await this.#inTransaction(request, async (trx, changedMembers) => {
      await ensureMembersExist(trx, input.memberIds)
      const [row] = await trx
        .insertQuery()
        .table(tables().groups)
        .insert({ display_name: input.displayName, external_id: input.externalId })
        .returning('id')
      const { added } = await setMembers(trx, row.id, input.memberIds)
      await audit(trx, request, 'scim.group_created', row.id, {
        display_name: input.displayName,
        added: added.length,
      })
      changedMembers.push(...added)
      return row.id as string
    })
    return this.#read(request, id)
  }

  async replace(request: ScimRequest, id: string, body: unknown) {
    const input = await readGroupInput(body)
    return this.#change(request, id, async () => input)
  }

  async patch(request: ScimRequest, id: string, operations: PatchOperation[]) {
    return this.#change(request, id, (current) =>
      readGroupInput(applyPatch(current, operations, GROUP_SCHEMAS))
    )
  }

  async delete(request: ScimRequest, id: string) {
    await this.#inTransaction(request, async (trx, changedMembers) => {
      const current = await lockedGroup(trx, request, id)
      const members = ((current.members ?? []) as { value: string }[]).map((member) =>
        Number(member.value)
      )
      await trx.from(tables().groups).where('id', id).delete()
      await audit(trx, request, 'scim.group_deleted', id, {
        display_name: current.displayName,
        removed: members.length,
      })
      changedMembers.push(...members)
    })
  }

  async #change(
    request: ScimRequest,
    id: string,
    next: (current: ScimJson) => Promise<GroupInput>
  ) {
    await this.#inTransaction(request, async (trx, changedMembers) => {
      const input = await next(await lockedGroup(trx, request, id))
      await ensureMembersExist(trx, input.memberIds)
      await trx.from(tables().groups).where('id', id).update({
        display_name: input.displayName,
        external_id: input.externalId,
        updated_at: new Date(),
      })
      const { added, removed } = await setMembers(trx, id, input.memberIds)
      await audit(trx, request, 'scim.group_updated', id, {
        display_name: input.displayName,
        added: added.length,
        removed: removed.length,
      })
      changedMembers.push(...added, ...removed)
    })
    return this.#read(request, id)
  }

  /**
   * A provisioning transaction that ends by reconciling the grants of the
   * members whose groups changed, and announces role changes after COMMIT.
   */
  async #inTransaction<T>(
    request: ScimRequest,
    work: (trx: TransactionClientContract, changedMembers: number[]) => Promise<T>
  ) {
    let changedRoles: number[] = []
    const result = await inScimTransaction(async (trx) => {
      const changedMembers: number[] = []
      const outcome = await work(trx, changedMembers)
      changedRoles = await this.grants.reconcile(
        trx,
        changedMembers,
        scimActor(request.caller),
        request.origin
      )
      return outcome
    }, 'displayName is already taken in this workspace')
    this.grants.announce(changedRoles)
    return result
  }

  async #read(request: ScimRequest, id: string) {
    const row = await ScimGroupDirectory.find(id, { withMembers: true })
    if (!row) {
      throw ScimError.notFound(`No group ${id}`)
    }
    return groupResource(row, request.baseUrl)
  }
}

/** The group's current representation, locked until COMMIT, after the If-Match check. */
async function lockedGroup(trx: TransactionClientContract, request: ScimRequest, id: string) {
  const locked = isGroupId(id)
    ? await trx.from(tables().groups).where('id', id).forUpdate().first()
    : null
  const row = locked && (await ScimGroupDirectory.find(id, { withMembers: true, trx }))
  if (!row) {
    throw ScimError.notFound(`No group ${id}`)
  }
  const current = groupResource(row, request.baseUrl)
  checkVersion(request, current)
  return current
}

async function ensureMembersExist(trx: TransactionClientContract, memberIds: number[]) {
  if (memberIds.length === 0) {
    return
  }
  const { users, scimUsers } = tables()
  const { rows } = await trx.rawQuery(
    `SELECT wanted.id FROM unnest(?::bigint[]) AS wanted(id)
     WHERE NOT EXISTS (
       SELECT 1 FROM ${users} u LEFT JOIN ${scimUsers} s ON s.user_id = u.id
       WHERE u.id = wanted.id AND s.deleted_at IS NULL)
     LIMIT 1`,
    [memberIds] as RawQueryBindings
  )
  if (rows.length > 0) {
    throw ScimError.badRequest('invalidValue', `No user ${rows[0].id} in this workspace`)
  }
}

/** Makes the group's members exactly `memberIds`; returns who joined and who left. */
async function setMembers(trx: TransactionClientContract, groupId: string, memberIds: number[]) {
  const { memberships } = tables()
  const removed = await trx.rawQuery(
    `DELETE FROM ${memberships} WHERE group_id = ? AND NOT (user_id = ANY(?::bigint[]))
     RETURNING user_id`,
    [groupId, memberIds] as RawQueryBindings
  )
  const added = await trx.rawQuery(
    `INSERT INTO ${memberships} (group_id, user_id)
     SELECT ?, id FROM unnest(?::bigint[]) AS wanted(id)
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [groupId, memberIds] as RawQueryBindings
  )
  const ids = (result: { rows: { user_id: string }[] }) =>
    result.rows.map((row) => Number(row.user_id))
  return { added: ids(added), removed: ids(removed) }
}

function audit(
  trx: TransactionClientContract,
  request: ScimRequest,
  action: string,
  groupId: string,
  metadata: Record<string, unknown>
) {
  return AuditTrail.record(trx, {
    actor: scimActor(request.caller).audit,
    action,
    target: { type: 'scim_group', id: groupId },
    ...request.origin,
    metadata: { token_name: request.caller.tokenName, ...metadata },
  })
}
