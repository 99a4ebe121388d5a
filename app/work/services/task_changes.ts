import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import type User from '#identity/models/user'
import type { RequestOrigin } from '#identity/request_origin'
import { AuditTrail } from '#audit/services/audit_trail'
import { EventOutbox } from '#events/event_outbox'
import type { DomainEvent } from '#events/domain_event'
import Task, { type TaskPriority } from '#work/models/task'
import type WorkflowStatus from '#work/models/workflow_status'
import { ProjectWorkflow } from '#work/services/project_workflow'
import { TaskAssignees } from '#work/services/task_assignees'
import { TaskLocks } from '#work/services/task_locks'
import { changedFields } from '#work/changed_fields'
import { boardEnd } from '#work/services/board_positions'
import { InvalidReferenceException } from '#work/exceptions'
import {
  TaskAssigned,
  TaskCreated,
  TaskDeleted,
  TaskStatusChanged,
  TaskUnassigned,
  TaskUpdated,
} from '#work/events'

export interface TaskInput {
  title?: string
  description?: string | null
  status?: number | string
  priority?: TaskPriority
  assignee_ids?: number[]
  due_date?: string | null
  labels?: string[]
  parent_id?: number | null
}

/** Fields whose changes `task.updated` reports (status and assignees have their own events). */
const TRACKED = ['title', 'description', 'priority', 'due_date', 'labels', 'parent_id']

/**
 * Creating, editing and deleting tasks. Each change bumps the task's
 * version and commits with the events that describe it.
 */
export class TaskChanges {
  async create(actor: User, projectId: number, input: TaskInput & { title: string }) {
    return db.transaction(async (trx) => {
      const project = await TaskLocks.takeNumber(trx, projectId)
      const status = input.status
        ? await ProjectWorkflow.resolve(trx, projectId, input.status)
        : await ProjectWorkflow.initial(trx, projectId)
      if (input.parent_id) {
        await this.#ensureParent(trx, projectId, input.parent_id, null)
      }
      const assigneeIds = input.assignee_ids ?? []
      await TaskAssignees.ensureEligible(trx, projectId, assigneeIds, 'assignee_ids')

      const task = await Task.create(
        {
          projectId,
          number: project.number,
          title: input.title,
          description: input.description ?? null,
          statusId: status.id,
          priority: input.priority ?? 'medium',
          dueDate: input.due_date ?? null,
          labels: input.labels ?? [],
          parentId: input.parent_id ?? null,
          position: await boardEnd(trx, projectId),
          version: 1,
          createdById: actor.id,
          completedAt: status.category === 'done' ? DateTime.now() : null,
        },
        { client: trx }
      )
      if (assigneeIds.length > 0) {
        await TaskAssignees.replace(trx, task.id, assigneeIds)
      }
      await EventOutbox.append(trx, [
        new TaskCreated(
          {
            ...TaskLocks.reference(task, project.key),
            status: status.name,
            assignee_ids: [...assigneeIds].sort((a, b) => a - b),
            parent_id: task.parentId,
          },
          actor.id
        ),
      ])
      return task
    })
  }

  /**
   * Applies the given fields. A stale `expectedVersion` is refused with
   * 409; a request that changes nothing leaves the version as it is.
   */
  async update(actor: User, taskId: number, input: TaskInput, expectedVersion: number | undefined) {
    return db.transaction(async (trx) => {
      const { task, projectKey } = await TaskLocks.lockForChange(trx, taskId, expectedVersion)
      const before = task.serialize()
      const events: DomainEvent[] = []

      task.merge({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.priority !== undefined ? { priority: input.priority } : {}),
        ...(input.due_date !== undefined ? { dueDate: input.due_date } : {}),
        ...(input.labels !== undefined ? { labels: input.labels } : {}),
      })
      if (input.parent_id !== undefined && input.parent_id !== task.parentId) {
        if (input.parent_id !== null) {
          await this.#ensureParent(trx, task.projectId, input.parent_id, task.id)
        }
        task.parentId = input.parent_id
      }
      const reference = () => TaskLocks.reference(task, projectKey)

      if (input.status !== undefined) {
        const status = await ProjectWorkflow.resolve(trx, task.projectId, input.status)
        if (status.id !== task.statusId) {
          const previous = await ProjectWorkflow.resolve(trx, task.projectId, task.statusId)
          this.#enterStatus(task, status)
          events.push(
            new TaskStatusChanged(
              { ...reference(), from: previous.name, to: status.name, category: status.category },
              actor.id
            )
          )
        }
      }

      if (input.assignee_ids !== undefined) {
        await TaskAssignees.ensureEligible(trx, task.projectId, input.assignee_ids, 'assignee_ids')
        const { added, removed } = await TaskAssignees.replace(trx, task.id, input.assignee_ids)
        const current = [...input.assignee_ids].sort((a, b) => a - b)
        if (added.length > 0) {
          events.push(
            new TaskAssigned(
              { ...reference(), assignee_ids: added, current_assignee_ids: current },
              actor.id
            )
          )
        }
        if (removed.length > 0) {
          events.push(
            new TaskUnassigned(
              { ...reference(), assignee_ids: removed, current_assignee_ids: current },
              actor.id
            )
          )
        }
      }

      const changes = changedFields(before, task.serialize(), TRACKED)
      if (Object.keys(changes).length > 0) {
        events.unshift(new TaskUpdated({ ...reference(), changes }, actor.id))
      }
      if (events.length === 0) {
        return task
      }
      task.version += 1
      await task.save()
      await EventOutbox.append(trx, events)
      return task
    })
  }

  /** Deletes the task with its subtasks and comments. */
  async delete(
    actor: User,
    taskId: number,
    expectedVersion: number | undefined,
    origin: RequestOrigin
  ) {
    return db.transaction(async (trx) => {
      const { task, projectKey } = await TaskLocks.lockForChange(trx, taskId, expectedVersion)
      const subtasks = await Task.query({ client: trx }).where('parent_id', task.id).orderBy('id')
      await task.delete()
      await AuditTrail.record(trx, {
        actor: { type: 'user', id: actor.id },
        action: 'task.deleted',
        target: { type: 'task', id: task.id },
        ...origin,
        metadata: {
          key: `${projectKey}-${task.number}`,
          title: task.title,
          subtask_ids: subtasks.map((subtask) => subtask.id),
        },
      })
      await EventOutbox.append(
        trx,
        [...subtasks, task].map(
          (deleted) => new TaskDeleted(TaskLocks.reference(deleted, projectKey), actor.id)
        )
      )
    })
  }

  #enterStatus(task: Task, status: WorkflowStatus) {
    task.statusId = status.id
    if (status.category === 'done') {
      task.completedAt ??= DateTime.now()
    } else {
      task.completedAt = null
    }
  }

  /** Subtasks are one level deep and stay in their parent's project. */
  async #ensureParent(
    trx: TransactionClientContract,
    projectId: number,
    parentId: number,
    taskId: number | null
  ) {
    const parent = await Task.query({ client: trx }).where('id', parentId).first()
    if (!parent || parent.projectId !== projectId) {
      throw new InvalidReferenceException('parent_id', 'The parent must be a task of this project')
    }
    if (parent.parentId !== null || parent.id === taskId) {
      throw new InvalidReferenceException('parent_id', 'A subtask cannot have subtasks')
    }
    if (taskId !== null) {
      const child = await Task.query({ client: trx }).where('parent_id', taskId).first()
      if (child) {
        throw new InvalidReferenceException('parent_id', 'A task with subtasks cannot become one')
      }
    }
  }
}
