import type { PluginTables } from '#plugin-api'

const ROW = 1

export interface SyncState {
  lease_until: Date | null
  last_started_at: Date | null
  last_finished_at: Date | null
  last_status: string | null
  last_summary: Record<string, unknown> | null
}

export async function syncState(db: PluginTables): Promise<SyncState | null> {
  return ((await db.table('sync_state').where('id', ROW).first()) as SyncState | undefined) ?? null
}

/**
 * Takes the workspace's sync lease, if no other sync (on any node) holds
 * one that is still valid: one conditional UPDATE, so two nodes cannot
 * both win. A sync that crashed leaves a lease that expires by itself.
 */
export async function takeSyncLease(db: PluginTables, leaseMs: number) {
  await db.table('sync_state').insert({ id: ROW }).onConflict('id').ignore()
  const now = new Date()
  const taken = await db
    .table('sync_state')
    .where('id', ROW)
    .where((query) => query.whereNull('lease_until').orWhere('lease_until', '<', now))
    .update({ lease_until: new Date(now.getTime() + leaseMs), last_started_at: now })
  return Number(taken) === 1
}

export async function releaseSyncLease(
  db: PluginTables,
  outcome: { status: string; summary: Record<string, unknown> }
) {
  await db
    .table('sync_state')
    .where('id', ROW)
    .update({
      lease_until: null,
      last_finished_at: new Date(),
      last_status: outcome.status,
      last_summary: JSON.stringify(outcome.summary),
    })
}
