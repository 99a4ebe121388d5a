import type { PluginTables } from '#plugin-api'
import type { SyncedItem } from './sync_plan.js'

export async function syncedItemsOf(db: PluginTables, memberId: number): Promise<SyncedItem[]> {
  const rows = await db.table('items').where('member_id', memberId)
  return rows.map((row: SyncedItem) => ({
    task_id: Number(row.task_id),
    object_url: row.object_url,
    etag: row.etag,
    task_version: Number(row.task_version),
    due_date: row.due_date,
    status: row.status,
  }))
}

/** Members who have this task on their calendar, whatever its state in Tandem now. */
export async function membersSyncingTask(db: PluginTables, taskId: number): Promise<number[]> {
  const rows = await db.table('items').where('task_id', taskId).select('member_id')
  return rows.map((row: { member_id: number }) => Number(row.member_id))
}

export async function saveSyncedItem(db: PluginTables, memberId: number, item: SyncedItem) {
  await db
    .table('items')
    .insert({ member_id: memberId, ...item, synced_at: new Date() })
    .onConflict(['member_id', 'task_id'])
    .merge()
}

export async function forgetSyncedItem(db: PluginTables, memberId: number, taskId: number) {
  await db.table('items').where({ member_id: memberId, task_id: taskId }).delete()
}
