import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import type { MemberChangeActor } from '#identity/member_change_actor'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { TenantContext } from '#tenancy/tenant_context'
import type { RequestOrigin } from '#identity/request_origin'
import type { ProjectRole } from '#work/models/project_role'
import Project from '#work/models/project'
import { InvalidReferenceException, WorkNotFoundException } from '#work/exceptions'
import { ProjectMemberAdded, ProjectMemberRemoved, ProjectMemberRoleChanged } from '#work/events'

/**
 * Who belongs to a project and with which role. Every change is audited
 * and announced.
 */
export class ProjectMemberships {
  static table() {
    return TenantContext.table('project_members')
  }

  /**
   * Adds the user or changes their role; `null` when nothing changed.
   * Without an origin (part of the project's creation, audited as a
   * whole) the change is announced but not audited on its own.
   */
  static async set(
    trx: TransactionClientContract,
    project: Project,
    membership: { userId: number; role: ProjectRole; field?: string },
    actor: MemberChangeActor,
    origin: RequestOrigin | null
  ): Promise<'added' | 'changed' | null> {
    const { userId, role } = membership
    const user = await User.query({ client: trx }).where('id', userId).first()
    if (!user || !user.isActive) {
      throw new InvalidReferenceException(
        membership.field ?? 'user_id',
        'No active member with this id'
      )
    }
    const existing = await trx
      .from(this.table())
      .where({ project_id: project.id, user_id: userId })
      .forUpdate()
      .first()
    if (existing?.role === role) {
      return null
    }
    await trx
      .insertQuery()
      .table(this.table())
      .insert({ project_id: project.id, user_id: userId, role })
      .knexQuery.onConflict(['project_id', 'user_id'])
      .merge(['role'])

    if (origin) {
      await AuditTrail.record(trx, {
        actor: actor.audit,
        action: existing ? 'project.member_role_changed' : 'project.member_added',
        target: { type: 'project', id: project.id },
        ...origin,
        metadata: { user_id: userId, role, ...(existing ? { from: existing.role } : {}) },
      })
    }
    await EventOutbox.append(trx, [
      existing
        ? new ProjectMemberRoleChanged(
            { project_id: project.id, user_id: userId, from: existing.role, to: role },
            actor.eventActorId
          )
        : new ProjectMemberAdded(
            { project_id: project.id, user_id: userId, role },
            actor.eventActorId
          ),
    ])
    return existing ? 'changed' : 'added'
  }

  static async remove(
    trx: TransactionClientContract,
    project: Project,
    userId: number,
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const removed = await trx
      .from(this.table())
      .where({ project_id: project.id, user_id: userId })
      .delete()
      .returning('role')
    if (removed.length === 0) {
      throw new WorkNotFoundException('member')
    }
    if (project.leadId === userId) {
      project.useTransaction(trx)
      project.leadId = null
      await project.save()
    }
    await AuditTrail.record(trx, {
      actor: actor.audit,
      action: 'project.member_removed',
      target: { type: 'project', id: project.id },
      ...origin,
      metadata: { user_id: userId, role: removed[0].role },
    })
    await EventOutbox.append(trx, [
      new ProjectMemberRemoved({ project_id: project.id, user_id: userId }, actor.eventActorId),
    ])
  }

  /** A user's role in a project, or null when they are not a member. */
  static async roleOf(
    trx: TransactionClientContract,
    projectId: number,
    userId: number
  ): Promise<ProjectRole | null> {
    const row = await trx
      .from(this.table())
      .where({ project_id: projectId, user_id: userId })
      .forUpdate()
      .first()
    return row?.role ?? null
  }

  /** The projects among `ids` that exist, for references made outside a project's own routes. */
  static async existing(trx: TransactionClientContract, ids: number[]) {
    const projects = await Project.query({ client: trx }).whereIn('id', ids).select('id')
    return new Set(projects.map((project) => project.id))
  }

  /**
   * `set` and `remove` by project id, for grants made on the workspace's
   * behalf (SCIM group mappings): a project deleted since is skipped.
   */
  static async grant(
    trx: TransactionClientContract,
    projectId: number,
    membership: { userId: number; role: ProjectRole },
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const project = await Project.query({ client: trx }).where('id', projectId).first()
    return project ? this.set(trx, project, membership, actor, origin) : null
  }

  static async revoke(
    trx: TransactionClientContract,
    projectId: number,
    userId: number,
    actor: MemberChangeActor,
    origin: RequestOrigin
  ) {
    const project = await Project.query({ client: trx }).where('id', projectId).first()
    if (project && (await this.roleOf(trx, projectId, userId))) {
      await this.remove(trx, project, userId, actor, origin)
    }
  }

  /** Members of a project with their account, for paging by `pm.user_id`. */
  static listing(projectId: number) {
    return db
      .from(`${this.table()} as pm`)
      .join(`${TenantContext.table('users')} as u`, 'u.id', 'pm.user_id')
      .where('pm.project_id', projectId)
      .select('pm.user_id', 'pm.role', 'pm.created_at', 'u.email', 'u.full_name', 'u.status')
  }
}
