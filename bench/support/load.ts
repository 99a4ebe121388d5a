import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'

export interface LoadOptions {
  url: string
  host: string
  connections: number
  durationSeconds: number
}

export interface LoadResult {
  reqPerSec: number
  p50: number
  p99: number
  requests: number
  /** Socket errors, timeouts and non-2xx answers. */
  failures: number
  /**
   * Time the main thread (where the in-process server runs) was busy,
   * per completed request. Less sensitive than req/s to other work on
   * the machine, which makes it the better figure to compare endpoints.
   */
  busyMsPerRequest: number
}

/**
 * One autocannon run. The load generator runs in a worker thread (still
 * this process), so it does not compete with the server for the main
 * event loop; it still competes for the machine's cores.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const before = performance.eventLoopUtilization()
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    workers: 1,
    headers: { host: options.host },
  })
  const busy = performance.eventLoopUtilization(before)
  return {
    reqPerSec: result.latency.totalCount / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.latency.totalCount,
    failures: result.errors + result.timeouts + result.non2xx,
    busyMsPerRequest: busy.active / Math.max(1, result.latency.totalCount),
  }
}
