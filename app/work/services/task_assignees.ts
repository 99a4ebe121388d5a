import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import { InvalidReferenceException } from '#work/exceptions'

/**
 * Who a task is assigned to. An assignee must be an active member who can
 * see the task's project: a full member, or a guest added to it.
 */
export class TaskAssignees {
  static table() {
    return TenantContext.table('task_assignees')
  }

  /** Assignee ids of each task, in id order. */
  static async of(taskIds: number[], client: QueryClientContract = db.connection()) {
    const byTask = new Map<number, number[]>(taskIds.map((id) => [id, []]))
    if (taskIds.length === 0) {
      return byTask
    }
    const rows = await client
      .from(this.table())
      .whereIn('task_id', taskIds)
      .orderBy('user_id')
      .select('task_id', 'user_id')
    for (const row of rows) {
      byTask.get(row.task_id)?.push(row.user_id)
    }
    return byTask
  }

  static async ensureEligible(
    trx: TransactionClientContract,
    projectId: number,
    userIds: number[],
    field: string
  ) {
    if (userIds.length === 0) {
      return
    }
    const users = await User.query({ client: trx }).whereIn('id', userIds)
    const guests = users.filter((user) => user.role === 'guest').map((user) => user.id)
    const guestRows =
      guests.length === 0
        ? []
        : await trx
            .from(TenantContext.table('project_members'))
            .where('project_id', projectId)
            .whereIn('user_id', guests)
            .select('user_id')
    const guestMembers = new Set<number>(guestRows.map((row) => row.user_id))
    for (const id of userIds) {
      const user = users.find((candidate) => candidate.id === id)
      if (!user?.isActive || (user.role === 'guest' && !guestMembers.has(id))) {
        throw new InvalidReferenceException(
          field,
          `Member ${id} does not exist, is deactivated or cannot see this project`
        )
      }
    }
  }

  /** Makes the assignee list exactly `userIds`; returns who was added and removed. */
  static async replace(trx: TransactionClientContract, taskId: number, userIds: number[]) {
    const rows = await trx.from(this.table()).where('task_id', taskId).select('user_id')
    const current: number[] = rows.map((row) => row.user_id)
    const added = userIds.filter((id) => !current.includes(id))
    const removed = current.filter((id) => !userIds.includes(id))
    if (removed.length > 0) {
      await trx.from(this.table()).where('task_id', taskId).whereIn('user_id', removed).delete()
    }
    if (added.length > 0) {
      await trx
        .insertQuery()
        .table(this.table())
        .multiInsert(added.map((userId) => ({ task_id: taskId, user_id: userId })))
    }
    return { added, removed, before: current.sort((a, b) => a - b) }
  }
}
