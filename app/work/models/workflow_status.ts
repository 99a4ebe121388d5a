import { column } from '@adonisjs/lucid/orm'
import { TenantModel } from '#tenancy/tenant_model'

export type StatusCategory = 'todo' | 'in_progress' | 'done'

export default class WorkflowStatus extends TenantModel {
  static table = 'workflow_statuses'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare projectId: number

  @column()
  declare name: string

  @column()
  declare category: StatusCategory

  @column()
  declare position: number
}
