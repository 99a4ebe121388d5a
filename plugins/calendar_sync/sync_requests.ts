import type { PluginContext } from '#plugin-api'

/** A burst of task changes (a bulk edit, a sprint move) becomes one sync per member. */
const COALESCE_MS = 3_000
/** Longer than a queued sync may wait, so a lost job does not block syncs for long. */
const PENDING_TTL_SECONDS = 120

const pendingKey = (memberId: number) => `sync-pending:${memberId}`

/**
 * Enqueues a sync of the member's calendar unless one is already waiting.
 * The waiting job clears the mark when it starts, so a change made during
 * a sync gets a sync of its own.
 */
export async function requestSync(context: PluginContext<any>, memberId: number) {
  if (await context.store.get(pendingKey(memberId))) {
    return false
  }
  await context.store.set(pendingKey(memberId), true, { ttlSeconds: PENDING_TTL_SECONDS })
  await context.jobs.enqueue('sync', { member_id: memberId }, { delayMs: COALESCE_MS })
  return true
}

export async function clearSyncRequest(context: PluginContext<any>, memberId: number) {
  await context.store.delete(pendingKey(memberId))
}
