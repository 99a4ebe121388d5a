import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#identity/models/user'
import { EventOutbox } from '#events/event_outbox'
import type { DomainEvent } from '#events/domain_event'
import Task from '#work/models/task'
import { TenantContext } from '#tenancy/tenant_context'
import { ProjectWorkflow } from '#work/services/project_workflow'
import { TaskAssignees } from '#work/services/task_assignees'
import { TaskLocks } from '#work/services/task_locks'
import { POSITION_STEP, boardEnd } from '#work/services/board_positions'
import { InvalidReferenceException } from '#work/exceptions'
import { TaskMoved, TaskReordered } from '#work/events'

export interface MoveInput {
  project_id?: number
  before_id?: number | null
  after_id?: number | null
}

/**
 * Where a task sits: its place on a board and its project. A position is
 * a float between its neighbours', so a move writes one row; when two
 * neighbours get too close to split, the board is renumbered.
 */
export class TaskPlacement {
  async move(actor: User, taskId: number, input: MoveInput, expectedVersion: number | undefined) {
    return db.transaction(async (trx) => {
      const { task, projectKey } = await TaskLocks.lockForChange(trx, taskId, expectedVersion)
      const targetId = input.project_id ?? task.projectId
      const events: DomainEvent[] = []

      if (targetId !== task.projectId) {
        events.push(...(await this.#changeProject(trx, actor, task, projectKey, targetId)))
      }
      const position = await this.#position(trx, task, input)
      if (position !== task.position || events.length > 0) {
        task.position = position
        task.version += 1
        await task.save()
        if (events.length === 0) {
          events.push(
            new TaskReordered(
              { ...TaskLocks.reference(task, projectKey), position: task.position },
              actor.id
            )
          )
        }
        await EventOutbox.append(trx, events)
      }
      return task
    })
  }

  /**
   * Moves the task and its subtasks under new numbers of the target
   * project, keeping each status by name or category.
   */
  async #changeProject(
    trx: TransactionClientContract,
    actor: User,
    task: Task,
    fromKey: string,
    targetId: number
  ) {
    if (task.parentId !== null) {
      throw new InvalidReferenceException('project_id', 'A subtask moves with its parent')
    }
    const subtasks = await Task.query({ client: trx })
      .where('parent_id', task.id)
      .orderBy('position')
      .forUpdate()
    const events: DomainEvent[] = []
    const assignees = await TaskAssignees.of([task.id, ...subtasks.map(({ id }) => id)], trx)
    for (const moving of [task, ...subtasks]) {
      await TaskAssignees.ensureEligible(trx, targetId, assignees.get(moving.id)!, 'project_id')
      const from = TaskLocks.reference(moving, fromKey)
      const target = await TaskLocks.takeNumber(trx, targetId)
      const status = await ProjectWorkflow.resolve(trx, moving.projectId, moving.statusId)
      const counterpart = await ProjectWorkflow.counterpart(trx, targetId, status)
      moving.statusId = counterpart.id
      moving.projectId = targetId
      moving.number = target.number
      if (moving !== task) {
        moving.position = await boardEnd(trx, targetId, moving.id)
        moving.version += 1
        await moving.save()
      }
      events.push(
        new TaskMoved(
          {
            ...TaskLocks.reference(moving, target.key),
            from_project_id: from.project_id,
            from_key: from.key,
          },
          actor.id
        )
      )
    }
    return events
  }

  async #position(trx: TransactionClientContract, task: Task, input: MoveInput) {
    const after = input.after_id
      ? await this.#neighbour(trx, task, input.after_id, 'after_id')
      : null
    const before = input.before_id
      ? await this.#neighbour(trx, task, input.before_id, 'before_id')
      : null
    if (!after && !before) {
      return boardEnd(trx, task.projectId, task.id)
    }
    if (after && before && after.position >= before.position) {
      throw new InvalidReferenceException('before_id', 'after_id must come before before_id')
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const low = after
        ? after.position
        : await this.#adjacent(trx, task, before!.position, 'below')
      const high = before
        ? before.position
        : await this.#adjacent(trx, task, after!.position, 'above')
      const position =
        low === null
          ? high! - POSITION_STEP
          : high === null
            ? low + POSITION_STEP
            : (low + high) / 2
      if (position !== low && position !== high) {
        return position
      }
      await this.#renumber(trx, task.projectId)
      if (after) await after.refresh()
      if (before) await before.refresh()
    }
    throw new Error(`Could not find a position between tasks of project ${task.projectId}`)
  }

  async #neighbour(trx: TransactionClientContract, task: Task, id: number, field: string) {
    const neighbour = await Task.query({ client: trx })
      .where({ id, project_id: task.projectId })
      .first()
    if (!neighbour || neighbour.id === task.id) {
      throw new InvalidReferenceException(field, 'Not another task of the target project')
    }
    return neighbour
  }

  /** The closest position below or above `position`, other than the task's own. */
  async #adjacent(
    trx: TransactionClientContract,
    task: Task,
    position: number,
    side: 'below' | 'above'
  ) {
    const row = await Task.query({ client: trx })
      .where('project_id', task.projectId)
      .whereNot('id', task.id)
      .where('position', side === 'below' ? '<' : '>', position)
      .orderBy('position', side === 'below' ? 'desc' : 'asc')
      .select('position')
      .first()
    return row ? row.position : null
  }

  /** Spreads the board's positions out again, keeping its order. */
  async #renumber(trx: TransactionClientContract, projectId: number) {
    const tasks = TenantContext.table('tasks')
    await trx.rawQuery(
      `UPDATE ${tasks} AS t SET position = ranked.rank * ?
         FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS rank
                 FROM ${tasks} WHERE project_id = ?) AS ranked
        WHERE t.id = ranked.id`,
      [POSITION_STEP, projectId]
    )
  }
}
