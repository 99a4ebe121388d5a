import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import { TenantContext } from '#tenancy/tenant_context'
import type { RequestOrigin } from '#identity/request_origin'
import type { ProjectRole } from '#work/models/project_role'
import type Project from '#work/models/project'
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
    actor: User,
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
        actor: { type: 'user', id: actor.id },
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
            actor.id
          )
        : new ProjectMemberAdded({ project_id: project.id, user_id: userId, role }, actor.id),
    ])
    return existing ? 'changed' : 'added'
  }

  static async remove(
    trx: TransactionClientContract,
    project: Project,
    userId: number,
    actor: User,
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
      actor: { type: 'user', id: actor.id },
      action: 'project.member_removed',
      target: { type: 'project', id: project.id },
      ...origin,
      metadata: { user_id: userId, role: removed[0].role },
    })
    await EventOutbox.append(trx, [
      new ProjectMemberRemoved({ project_id: project.id, user_id: userId }, actor.id),
    ])
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
