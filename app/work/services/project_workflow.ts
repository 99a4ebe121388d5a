import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import WorkflowStatus, { type StatusCategory } from '#work/models/workflow_status'
import {
  InvalidReferenceException,
  LastStatusException,
  StatusInUseException,
  StatusNameTakenException,
  WorkNotFoundException,
} from '#work/exceptions'
import Task from '#work/models/task'

export const DEFAULT_WORKFLOW: { name: string; category: StatusCategory }[] = [
  { name: 'To Do', category: 'todo' },
  { name: 'In Progress', category: 'in_progress' },
  { name: 'Done', category: 'done' },
]

const UNIQUE_VIOLATION = '23505'

/**
 * The statuses a project's tasks go through, in board order. Each has a
 * category (todo, in_progress, done) that filters and reports rely on,
 * whatever the team calls its columns.
 */
export class ProjectWorkflow {
  static async seed(trx: TransactionClientContract, projectId: number) {
    await WorkflowStatus.createMany(
      DEFAULT_WORKFLOW.map((status, position) => ({ projectId, ...status, position })),
      { client: trx }
    )
  }

  static list(projectId: number, client?: TransactionClientContract) {
    return WorkflowStatus.query({ client })
      .where('project_id', projectId)
      .orderBy('position')
      .orderBy('id')
  }

  /**
   * A status of the project by id or by name (case-insensitive); reported
   * under `field` when there is none.
   */
  static async resolve(
    trx: TransactionClientContract,
    projectId: number,
    reference: number | string,
    field = 'status'
  ) {
    const query = WorkflowStatus.query({ client: trx }).where('project_id', projectId)
    if (typeof reference === 'number') {
      query.where('id', reference)
    } else {
      query.whereRaw('lower(name) = lower(?)', [reference])
    }
    const status = await query.first()
    if (!status) {
      throw new InvalidReferenceException(field, `The project has no status "${reference}"`)
    }
    return status
  }

  /** Where new tasks start: the first status of the board. */
  static async initial(trx: TransactionClientContract, projectId: number) {
    return (await this.list(projectId, trx).firstOrFail()) as WorkflowStatus
  }

  /**
   * The status a task keeps when it moves to another project: the same
   * name, else the first of the same category, else the first.
   */
  static async counterpart(
    trx: TransactionClientContract,
    projectId: number,
    status: WorkflowStatus
  ) {
    const statuses = await this.list(projectId, trx)
    return (
      statuses.find((candidate) => candidate.name.toLowerCase() === status.name.toLowerCase()) ??
      statuses.find((candidate) => candidate.category === status.category) ??
      statuses[0]
    )
  }

  static async add(
    trx: TransactionClientContract,
    projectId: number,
    input: { name: string; category: StatusCategory; position?: number }
  ) {
    const existing = await this.list(projectId, trx)
    const position = input.position ?? existing.length
    return this.#guardName(() =>
      WorkflowStatus.create(
        { projectId, name: input.name, category: input.category, position },
        { client: trx }
      )
    )
  }

  static async update(
    trx: TransactionClientContract,
    projectId: number,
    statusId: number,
    input: { name?: string; category?: StatusCategory; position?: number }
  ) {
    const status = await this.#find(trx, projectId, statusId)
    status.merge(input)
    return this.#guardName(() => status.save())
  }

  /** Refused while tasks use it, and for the workflow's last status. */
  static async remove(trx: TransactionClientContract, projectId: number, statusId: number) {
    const status = await this.#find(trx, projectId, statusId)
    const used = await Task.query({ client: trx }).where('status_id', status.id).first()
    if (used) {
      throw new StatusInUseException()
    }
    const remaining = await this.list(projectId, trx)
    if (remaining.length <= 1) {
      throw new LastStatusException()
    }
    await status.delete()
    return status
  }

  static async #find(trx: TransactionClientContract, projectId: number, statusId: number) {
    const status = await WorkflowStatus.query({ client: trx })
      .where({ project_id: projectId, id: statusId })
      .forUpdate()
      .first()
    if (!status) {
      throw new WorkNotFoundException('status')
    }
    return status
  }

  static async #guardName<T>(write: () => Promise<T>) {
    try {
      return await write()
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new StatusNameTakenException()
      }
      throw error
    }
  }
}
