/** One unit of plugin work in the queue. */
export type PluginJobPayload =
  | { kind: 'job'; tenantId: number; pluginId: string; job: string; data: Record<string, unknown> }
  /** A schedule came due: fan out to every tenant with the plugin enabled. */
  | { kind: 'schedule'; pluginId: string; job: string }

/**
 * Where plugin jobs wait: a bull queue in Redis (shared by every node,
 * survives a crash) or this process's memory (one node, no Redis).
 */
export interface PluginJobBackend {
  start(process: (payload: PluginJobPayload) => Promise<void>): Promise<void>
  add(payload: PluginJobPayload, delayMs?: number): Promise<void>
  /** Adds `payload` every `ms`, once per deployment whatever the number of nodes. */
  repeat(key: string, ms: number, payload: PluginJobPayload): Promise<void>
  /** Resolves when this process runs no job. */
  idle(): Promise<void>
  /** Resolves when no job is waiting or running anywhere (delayed ones aside). */
  settled(): Promise<void>
  stop(): Promise<void>
}
