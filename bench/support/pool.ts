/*
 * The app's database pool, seen from inside the process. Imported only
 * once the app has booted (the `db` service does not exist before).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import db from '@adonisjs/lucid/services/db'

export interface PoolStats {
  /** Connections checked out by a query or transaction. */
  used: number
  /** Open connections waiting for work. */
  free: number
  /** Connections being opened. */
  creating: number
  /** Queries waiting for a connection. */
  waiting: number
}

export function poolStats(): PoolStats {
  const pool = db.manager.get(db.primaryConnectionName)?.connection?.pool
  return {
    used: pool?.numUsed() ?? 0,
    free: pool?.numFree() ?? 0,
    creating: pool?.numPendingCreates() ?? 0,
    waiting: pool?.numPendingAcquires() ?? 0,
  }
}

/**
 * Waits until no query runs or waits. A load generator stops by dropping
 * its sockets, but the requests already accepted still run: without this,
 * the backlog of one run would be served during the next one (or be
 * aborted when the app shuts down).
 */
export async function waitForIdlePool(timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  // Two idle readings in a row: a request between two queries holds none.
  let idleReadings = 0
  while (idleReadings < 2 && Date.now() < deadline) {
    const stats = poolStats()
    idleReadings = stats.used === 0 && stats.waiting === 0 ? idleReadings + 1 : 0
    await sleep(25)
  }
}
