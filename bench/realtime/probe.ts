/*
 * Preloaded into each server process bench/realtime.ts measures
 * (`--import`, with `--expose-gc`). On an IPC request it reports what
 * /proc cannot tell: the V8 heap after a full collection, or the event
 * loop's utilization and delay. Changes nothing else in the process.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

export type ProbeRequest = { probe: number; kind: 'memory' | 'loop' }

export interface MemoryReply {
  probe: number
  heapUsed: number
}

export interface LoopReply {
  probe: number
  /** Cumulative since the process started, ms (performance.eventLoopUtilization()). */
  idle: number
  active: number
  /** Event loop delay since the previous `loop` request, ms. */
  delayP50: number
  delayP99: number
  delayMax: number
}

if (process.send) {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  process.on('message', (message: unknown) => {
    if (!message || typeof message !== 'object' || !('probe' in message)) {
      return
    }
    const { probe, kind } = message as ProbeRequest
    if (kind === 'loop') {
      const { idle, active } = performance.eventLoopUtilization()
      const reply: LoopReply = {
        probe,
        idle,
        active,
        delayP50: delay.percentile(50) / 1e6,
        delayP99: delay.percentile(99) / 1e6,
        delayMax: delay.max / 1e6,
      }
      delay.reset()
      process.send!(reply)
      return
    }
    const collect = (globalThis as { gc?: () => void }).gc
    // Twice: the first pass may only queue finalizers that free more.
    collect?.()
    collect?.()
    process.send!({ probe, heapUsed: process.memoryUsage().heapUsed } satisfies MemoryReply)
  })
  // The IPC channel must not keep a stopping server alive.
  process.channel?.unref()
}
