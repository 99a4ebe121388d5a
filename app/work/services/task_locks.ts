import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Task from '#work/models/task'
import Project from '#work/models/project'
import { TenantContext } from '#tenancy/tenant_context'
import {
  ProjectArchivedException,
  VersionConflictException,
  WorkNotFoundException,
} from '#work/exceptions'

/**
 * The row locks task writes take, always in the same order (task, then
 * its project) so concurrent writers queue instead of deadlocking.
 */
export class TaskLocks {
  /**
   * Locks the task for a change: 404 when gone, 409 E_CONFLICT when the
   * caller's version is stale, 409 E_PROJECT_ARCHIVED when its project
   * is archived.
   */
  static async lockForChange(
    trx: TransactionClientContract,
    taskId: number,
    expectedVersion: number | undefined
  ) {
    const task = await Task.query({ client: trx }).where('id', taskId).forUpdate().first()
    if (!task) {
      throw new WorkNotFoundException('task')
    }
    if (expectedVersion !== undefined && expectedVersion !== task.version) {
      throw new VersionConflictException(task.version)
    }
    const project = await Project.query({ client: trx }).where('id', task.projectId).firstOrFail()
    if (project.status === 'archived') {
      throw new ProjectArchivedException()
    }
    return { task, project, projectKey: project.key }
  }

  /**
   * Hands out the project's next task number; the row lock it takes
   * serializes task creation per project.
   */
  static async takeNumber(trx: TransactionClientContract, projectId: number) {
    const result = await trx.rawQuery(
      `UPDATE ${TenantContext.table('projects')}
          SET last_task_number = last_task_number + 1
        WHERE id = ?
    RETURNING last_task_number, key, status`,
      [projectId]
    )
    const row = result.rows[0]
    if (!row) {
      throw new WorkNotFoundException('project')
    }
    if (row.status === 'archived') {
      throw new ProjectArchivedException()
    }
    return { number: Number(row.last_task_number), key: row.key as string }
  }

  /** How events name a task. */
  static reference(task: Task, projectKey: string) {
    return {
      project_id: task.projectId,
      task_id: task.id,
      key: `${projectKey}-${task.number}`,
      title: task.title,
    }
  }
}
