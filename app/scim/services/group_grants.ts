import { inject } from '@adonisjs/core'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { TenantContext } from '#tenancy/tenant_context'
import { MemberAdministration } from '#identity/services/member_administration'
import type { MemberChangeActor } from '#identity/member_change_actor'
import type { RequestOrigin } from '#identity/request_origin'
import type { UserRole } from '#identity/models/user'
import { ProjectMemberships } from '#work/services/project_memberships'
import type { ProjectRole } from '#work/models/project_role'

export type MappedRole = Exclude<UserRole, 'owner'>

/** What a group gives its members (docs/identity.md, "Groups"). */
export interface GroupMapping {
  role: MappedRole | null
  projects: { project_id: number; role: ProjectRole }[]
}

const ROLE_RANK: Record<MappedRole, number> = { guest: 0, member: 1, admin: 2 }
const PROJECT_RANK: Record<ProjectRole, number> = { viewer: 0, member: 1, lead: 2 }

interface MemberGrants {
  id: string
  role: UserRole
  status: 'active' | 'deactivated'
  email: string
  /** What mappings granted last time: only those are taken back. */
  mapped_role: MappedRole | null
  mapped_projects: Record<string, ProjectRole> | null
  mappings: GroupMapping[]
}

function highest<Role extends string>(roles: Role[], rank: Record<Role, number>) {
  return roles.reduce<Role | null>(
    (best, role) => (best === null || rank[role] > rank[best] ? role : best),
    null
  )
}

/** The role and project roles the member's mapped groups give, the highest of each. */
function desiredGrants(mappings: GroupMapping[]) {
  const role = highest(
    mappings.flatMap((mapping) => (mapping.role ? [mapping.role] : [])),
    ROLE_RANK
  )
  const projects: Record<string, ProjectRole> = {}
  for (const { project_id: projectId, role: projectRole } of mappings.flatMap(
    (mapping) => mapping.projects
  )) {
    projects[projectId] = highest([projects[projectId], projectRole].filter(Boolean), PROJECT_RANK)!
  }
  return { role, projects }
}

/**
 * Keeps members' workspace roles and project memberships in line with
 * the SCIM groups they belong to and what admins mapped those groups to.
 * Only what a mapping granted is ever taken back: a role or membership
 * an admin gave by hand stays when a group is left. Owners' roles are
 * never changed by a mapping.
 */
@inject()
export class GroupGrants {
  constructor(protected administration: MemberAdministration) {}

  /** After COMMIT: the members whose role changed reload on every node. */
  announce(memberIds: number[]) {
    for (const memberId of memberIds) {
      this.administration.announce(memberId)
    }
  }

  /** Returns the members whose role changed, to announce after COMMIT. */
  async reconcile(
    trx: TransactionClientContract,
    userIds: number[],
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const changedRoles: number[] = []
    for (const member of await this.#read(trx, userIds)) {
      const desired = desiredGrants(member.mappings)
      const userId = Number(member.id)
      const mappedRole = await this.#reconcileRole(trx, member, desired.role, actor, origin)
      if (mappedRole.changed) {
        changedRoles.push(userId)
      }
      const mappedProjects =
        member.status === 'active'
          ? await this.#reconcileProjects(trx, member, desired.projects, actor, origin)
          : (member.mapped_projects ?? {})
      await this.#remember(trx, member, mappedRole.granted, mappedProjects)
    }
    return changedRoles
  }

  async #reconcileRole(
    trx: TransactionClientContract,
    member: MemberGrants,
    desired: MappedRole | null,
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const userId = Number(member.id)
    if (member.role === 'owner') {
      return { granted: null, changed: false }
    }
    if (desired && member.role !== desired) {
      // An admin made by hand stays one when a group maps to a lower role.
      const byHand =
        member.role !== 'member' &&
        member.role !== member.mapped_role &&
        ROLE_RANK[member.role] > ROLE_RANK[desired]
      if (byHand) {
        return { granted: null, changed: false }
      }
      await this.administration.changeRoleWithin(trx, actor, userId, desired, origin)
      return { granted: desired, changed: true }
    }
    if (!desired && member.mapped_role && member.role === member.mapped_role) {
      const changed = member.role !== 'member'
      if (changed) {
        await this.administration.changeRoleWithin(trx, actor, userId, 'member', origin)
      }
      return { granted: null, changed }
    }
    return { granted: desired, changed: false }
  }

  async #reconcileProjects(
    trx: TransactionClientContract,
    member: MemberGrants,
    desired: Record<string, ProjectRole>,
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const userId = Number(member.id)
    const previous = member.mapped_projects ?? {}
    const granted: Record<string, ProjectRole> = {}
    for (const [projectId, role] of Object.entries(desired)) {
      const current = await ProjectMemberships.roleOf(trx, Number(projectId), userId)
      // A membership given by hand is the admin's: left as it is.
      if (current !== null && previous[projectId] !== current) {
        continue
      }
      if (current !== role) {
        const outcome = await ProjectMemberships.grant(
          trx,
          Number(projectId),
          { userId, role },
          actor,
          origin
        )
        if (outcome === null && current === null) {
          continue
        }
      }
      granted[projectId] = role
    }
    for (const [projectId, role] of Object.entries(previous)) {
      if (!(projectId in desired)) {
        const current = await ProjectMemberships.roleOf(trx, Number(projectId), userId)
        if (current === role) {
          await ProjectMemberships.revoke(trx, Number(projectId), userId, actor, origin)
        }
      }
    }
    return granted
  }

  async #read(trx: TransactionClientContract, userIds: number[]) {
    if (userIds.length === 0) {
      return []
    }
    const users = TenantContext.table('users')
    // Locked in id order, as every writer of several members does.
    await trx.rawQuery(
      `SELECT id FROM ${users} WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`,
      [userIds] as RawQueryBindings
    )
    const { rows } = await trx.rawQuery(
      `SELECT u.id, u.role, u.status, u.email, s.mapped_role, s.mapped_projects,
         coalesce(jsonb_agg(jsonb_build_object('role', g.mapped_role, 'projects', g.mapped_projects))
           FILTER (WHERE g.id IS NOT NULL), '[]'::jsonb) AS mappings
       FROM ${users} u
       LEFT JOIN ${TenantContext.table('scim_users')} s ON s.user_id = u.id
       LEFT JOIN ${TenantContext.table('scim_group_members')} m ON m.user_id = u.id
       LEFT JOIN ${TenantContext.table('scim_groups')} g ON g.id = m.group_id
       WHERE u.id = ANY(?::bigint[])
       GROUP BY u.id, s.user_id
       ORDER BY u.id`,
      [userIds] as RawQueryBindings
    )
    return rows as MemberGrants[]
  }

  async #remember(
    trx: TransactionClientContract,
    member: MemberGrants,
    role: MappedRole | null,
    projects: Record<string, ProjectRole>
  ) {
    await trx.rawQuery(
      `INSERT INTO ${TenantContext.table('scim_users')} (user_id, user_name, mapped_role, mapped_projects)
       VALUES (?, ?, ?, ?::jsonb)
       ON CONFLICT (user_id) DO UPDATE
       SET mapped_role = EXCLUDED.mapped_role, mapped_projects = EXCLUDED.mapped_projects`,
      [member.id, member.email, role, JSON.stringify(projects)] as RawQueryBindings
    )
  }
}
