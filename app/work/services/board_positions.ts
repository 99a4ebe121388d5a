import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { TenantContext } from '#tenancy/tenant_context'

/** Gap between neighbours on a board; see TaskPlacement. */
export const POSITION_STEP = 1024

/** A position after every task of the project's board (but `exceptTaskId`). */
export async function boardEnd(
  trx: TransactionClientContract,
  projectId: number,
  exceptTaskId?: number
) {
  const query = trx
    .from(TenantContext.table('tasks'))
    .where('project_id', projectId)
    .max('position as last')
  if (exceptTaskId !== undefined) {
    query.whereNot('id', exceptTaskId)
  }
  const row = await query.first()
  return Number(row?.last ?? 0) + POSITION_STEP
}
