import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { TenantContext } from '#tenancy/tenant_context'
import { AuditTrail } from '#audit/services/audit_trail'
import { adminActor } from '#identity/member_change_actor'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { InvalidReferenceException } from '#work/exceptions'
import { ProjectMemberships } from '#work/services/project_memberships'
import { GroupGrants, type GroupMapping } from '#scim/services/group_grants'
import { ScimGroupNotFoundException } from '#scim/exceptions'
import { isGroupId } from '#scim/services/scim_group_directory'

export interface MappedGroupRow {
  seq: string
  id: string
  display_name: string
  external_id: string | null
  mapped_role: GroupMapping['role']
  mapped_projects: GroupMapping['projects']
  member_count: number
}

/**
 * What admins map SCIM groups to: a workspace role and project roles for
 * their members, applied at once to the group's current members and from
 * then on to whoever the IdP adds or removes.
 */
@inject()
export class ScimGroupMappings {
  constructor(protected grants: GroupGrants) {}

  /** Groups with their mapping and size, for paging by `g.seq`. */
  static listing() {
    const memberships = TenantContext.table('scim_group_members')
    return db
      .from(`${TenantContext.table('scim_groups')} as g`)
      .select(
        'g.seq',
        'g.id',
        'g.display_name',
        'g.external_id',
        'g.mapped_role',
        'g.mapped_projects',
        db.raw(
          `(SELECT count(*)::int FROM ${memberships} m WHERE m.group_id = g.id) AS member_count`
        )
      )
  }

  async set(admin: User, groupId: string, mapping: GroupMapping, origin: RequestOrigin) {
    let changedRoles: number[] = []
    await db.transaction(async (trx) => {
      const group = isGroupId(groupId)
        ? await trx
            .from(TenantContext.table('scim_groups'))
            .where('id', groupId)
            .forUpdate()
            .first()
        : null
      if (!group) {
        throw new ScimGroupNotFoundException()
      }
      const projectIds = mapping.projects.map((project) => project.project_id)
      const existing = await ProjectMemberships.existing(trx, projectIds)
      const missing = mapping.projects.findIndex((project) => !existing.has(project.project_id))
      if (missing !== -1) {
        throw new InvalidReferenceException(`projects.${missing}.project_id`, 'No such project')
      }
      await trx
        .from(TenantContext.table('scim_groups'))
        .where('id', groupId)
        .update({ mapped_role: mapping.role, mapped_projects: JSON.stringify(mapping.projects) })
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: admin.id },
        action: 'scim.group_mapping_changed',
        target: { type: 'scim_group', id: groupId },
        ...origin,
        metadata: {
          display_name: group.display_name,
          from: { role: group.mapped_role, projects: group.mapped_projects },
          to: mapping,
        },
      })
      const members = await trx
        .from(TenantContext.table('scim_group_members'))
        .where('group_id', groupId)
        .select('user_id')
      changedRoles = await this.grants.reconcile(
        trx,
        members.map((member) => Number(member.user_id)),
        adminActor(admin),
        origin
      )
    })
    this.grants.announce(changedRoles)
    const [row] = await ScimGroupMappings.listing().where('g.id', groupId)
    return row as MappedGroupRow
  }
}
