import { adminActor } from '#identity/member_change_actor'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import type { DomainEvent } from '#events/domain_event'
import Project, { type ProjectStatus } from '#work/models/project'
import Task from '#work/models/task'
import { ProjectWorkflow } from '#work/services/project_workflow'
import { ProjectMemberships } from '#work/services/project_memberships'
import { changedFields } from '#work/changed_fields'
import {
  InvalidReferenceException,
  ProjectKeyTakenException,
  WorkNotFoundException,
} from '#work/exceptions'
import { ProjectArchived, ProjectCreated, ProjectDeleted, ProjectUpdated } from '#work/events'

export interface ProjectInput {
  name?: string
  key?: string
  description?: string | null
  status?: ProjectStatus
  start_date?: string | null
  end_date?: string | null
  lead_id?: number | null
}

const UNIQUE_VIOLATION = '23505'

/**
 * Creating, changing, archiving and deleting projects. The creator leads
 * a new project (with the named lead, if another); a project that has
 * tasks is archived rather than destroyed.
 */
export class ProjectAdministration {
  async create(
    actor: User,
    input: Required<Pick<ProjectInput, 'name' | 'key'>> & ProjectInput,
    origin: RequestOrigin
  ) {
    return this.#guardKey(() =>
      db.transaction(async (trx) => {
        const project = new Project().useTransaction(trx)
        this.#apply(project, input)
        project.leadId ??= null
        await this.#ensureLead(trx, project)
        project.createdById = actor.id
        project.status = input.status ?? 'active'
        project.archivedAt = project.status === 'archived' ? DateTime.now() : null
        await project.save()
        await ProjectWorkflow.seed(trx, project.id)
        await AuditTrail.record(trx, {
          actor: { type: 'user', id: actor.id },
          action: 'project.created',
          target: { type: 'project', id: project.id },
          ...origin,
          metadata: { key: project.key, lead_id: project.leadId },
        })
        await EventOutbox.append(trx, [
          new ProjectCreated(
            { project_id: project.id, key: project.key, name: project.name },
            actor.id
          ),
        ])
        const by = adminActor(actor)
        await ProjectMemberships.set(trx, project, { userId: actor.id, role: 'lead' }, by, null)
        if (project.leadId !== null && project.leadId !== actor.id) {
          await ProjectMemberships.set(
            trx,
            project,
            { userId: project.leadId, role: 'lead' },
            by,
            null
          )
        }
        return project
      })
    )
  }

  async update(actor: User, projectId: number, input: ProjectInput, origin: RequestOrigin) {
    return this.#guardKey(() =>
      db.transaction(async (trx) => {
        const project = await this.#lock(trx, projectId)
        const before = project.serialize()
        const wasArchived = project.status === 'archived'
        this.#apply(project, input)
        await this.#ensureLead(trx, project)
        if (input.status && input.status !== before.status) {
          project.archivedAt = input.status === 'archived' ? DateTime.now() : null
        }
        const changes = changedFields(before, project.serialize(), [
          'name',
          'key',
          'description',
          'status',
          'start_date',
          'end_date',
          'lead_id',
        ])
        if (Object.keys(changes).length === 0) {
          return project
        }
        await project.save()
        if (changes.status) {
          await AuditTrail.record(trx, {
            actor: { type: 'user', id: actor.id },
            action: wasArchived ? 'project.restored' : 'project.archived',
            target: { type: 'project', id: project.id },
            ...origin,
          })
        }
        if (changes.lead_id && project.leadId !== null) {
          await ProjectMemberships.set(
            trx,
            project,
            { userId: project.leadId, role: 'lead', field: 'lead_id' },
            adminActor(actor),
            origin
          )
        }

        const events: DomainEvent[] = [
          new ProjectUpdated(
            { project_id: project.id, key: project.key, name: project.name, changes },
            actor.id
          ),
        ]
        if (changes.status && !wasArchived) {
          events.push(this.#archived(project, actor))
        }
        await EventOutbox.append(trx, events)
        return project
      })
    )
  }

  /**
   * Deletes a project without tasks; archives one with tasks, since
   * deleting would take their history with it.
   */
  async remove(actor: User, projectId: number, origin: RequestOrigin) {
    return db.transaction(async (trx) => {
      const project = await this.#lock(trx, projectId)
      const hasTasks = await Task.query({ client: trx }).where('project_id', project.id).first()
      if (hasTasks) {
        if (project.status !== 'archived') {
          project.status = 'archived'
          project.archivedAt = DateTime.now()
          await project.save()
          await AuditTrail.record(trx, {
            actor: { type: 'user', id: actor.id },
            action: 'project.archived',
            target: { type: 'project', id: project.id },
            ...origin,
          })
          await EventOutbox.append(trx, [this.#archived(project, actor)])
        }
        return { outcome: 'archived' as const, project }
      }
      await project.delete()
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'project.deleted',
        target: { type: 'project', id: project.id },
        ...origin,
        metadata: { key: project.key, name: project.name },
      })
      await EventOutbox.append(trx, [
        new ProjectDeleted(
          { project_id: project.id, key: project.key, name: project.name },
          actor.id
        ),
      ])
      return { outcome: 'deleted' as const, project }
    })
  }

  #archived(project: Project, actor: User) {
    return new ProjectArchived(
      { project_id: project.id, key: project.key, name: project.name },
      actor.id
    )
  }

  #apply(project: Project, input: ProjectInput) {
    project.merge({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.key !== undefined ? { key: input.key } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.start_date !== undefined ? { startDate: input.start_date } : {}),
      ...(input.end_date !== undefined ? { endDate: input.end_date } : {}),
      ...(input.lead_id !== undefined ? { leadId: input.lead_id } : {}),
    })
    if (project.startDate && project.endDate && project.endDate < project.startDate) {
      throw new InvalidReferenceException('end_date', 'The end date is before the start date')
    }
  }

  /** Checked before the row is written, so the client hears which field is wrong. */
  async #ensureLead(trx: TransactionClientContract, project: Project) {
    if (project.leadId === null || project.leadId === undefined) {
      return
    }
    const lead = await User.query({ client: trx }).where('id', project.leadId).first()
    if (!lead?.isActive) {
      throw new InvalidReferenceException('lead_id', 'No active member with this id')
    }
  }

  #lock(trx: TransactionClientContract, projectId: number) {
    return Project.query({ client: trx })
      .where('id', projectId)
      .forUpdate()
      .first()
      .then((project) => {
        if (!project) {
          throw new WorkNotFoundException('project')
        }
        return project
      })
  }

  /** The key's unique index settles races between two creators. */
  async #guardKey<T>(write: () => Promise<T>) {
    try {
      return await write()
    } catch (error) {
      const violation = error as { code?: string; constraint?: string }
      if (violation.code === UNIQUE_VIOLATION && violation.constraint === 'projects_key_unique') {
        throw new ProjectKeyTakenException()
      }
      throw error
    }
  }
}
