/*
 * Runs one open-loop phase (bench/plugins_bench/paced_worker.ts) in a
 * worker thread while this thread serves, with the figures runLoad gives
 * for a closed-loop one (bench/work_api/load.ts) except the pool waits,
 * which only that one records.
 */
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { runLoadWorker, type PhaseResult } from '../work_api/load.js'
import type { PacedJob } from './paced_worker.js'

const WORKER = new URL(`./paced_worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export async function runPaced(job: PacedJob): Promise<PhaseResult> {
  const before = performance.eventLoopUtilization()
  const outcome = await runLoadWorker(WORKER, job)
  return {
    ...outcome,
    serverBusy: performance.eventLoopUtilization(before).utilization,
    poolWaits: new Float64Array(),
  }
}
