/**
 * How the dispatcher is told to drain a tenant: in this process
 * (LocalWakeups) or through a bull queue shared by every node
 * (QueuedWakeups, with Redis).
 */
export interface Wakeups {
  start(drain: (tenantId: number) => Promise<void>): Promise<void>
  /**
   * Drain the tenant soon (or after `delayMs`). Wake-ups that arrive while
   * a drain of the tenant is still waiting to start are merged into it.
   */
  wake(tenantId: number, delayMs?: number): void
  /** Resolves once no drain runs in this process. */
  idle(): Promise<void>
  stop(): Promise<void>
}
