/*
 * Runs one load phase of bench/scim.ts in a worker thread while this
 * thread, where the server runs, keeps serving.
 */
import { once } from 'node:events'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import type { ScimJob, ScimOutcome } from './requests.js'

/* The worker is this folder's load_worker, .ts when run from source. */
const WORKER = new URL(`./load_worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export interface ScimPhase extends ScimOutcome {
  /** Share of the phase the main thread (the server) was busy, 0..1. */
  serverBusy: number
}

export async function runScimLoad(job: ScimJob): Promise<ScimPhase> {
  const before = performance.eventLoopUtilization()
  // `once` rejects if the worker throws (its 'error' event).
  const [outcome] = (await once(new Worker(WORKER, { workerData: job }), 'message')) as [
    ScimOutcome,
  ]
  return { ...outcome, serverBusy: performance.eventLoopUtilization(before).utilization }
}
