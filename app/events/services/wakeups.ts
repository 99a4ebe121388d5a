/**
 * How the dispatcher is told to drain a tenant: in this process
 * (LocalWakeups) or through a bull queue shared by every node
 * (QueuedWakeups, with Redis).
 */
export interface Wakeups {
  start(drain: (tenantId: number) => Promise<void>): Promise<void>
  /** Drain the tenant soon; `key` lets nodes woken by the same NOTIFY share one job. */
  wake(tenantId: number, delayMs?: number, key?: string): void
  /** Resolves once no drain runs in this process. */
  idle(): Promise<void>
  stop(): Promise<void>
}
