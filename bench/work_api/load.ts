/*
 * Runs one load phase of bench/work_api.ts in a worker thread while this
 * thread (where the server, and the event dispatcher, run) keeps serving.
 * Imported after the app has booted.
 */
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import db from '@adonisjs/lucid/services/db'
import type { LoadJob, LoadOutcome } from './endpoints.js'

/* The worker is this folder's load_worker, .ts when run from source. */
const WORKER = new URL(`./load_worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

export interface PhaseResult extends LoadOutcome {
  /** Share of the phase the main thread (server + dispatcher) was busy, 0..1. */
  serverBusy: number
  /**
   * Per pool checkout (a query, or a whole transaction), ms from asking
   * the pool for a connection to getting one: HTTP handlers and the event
   * dispatcher queue in the same line.
   */
  poolWaits: Float64Array
}

/** Records how long each pool checkout waits, until stopped. */
function recordPoolWaits() {
  const pool = db.manager.get(db.primaryConnectionName)?.connection?.pool
  const asked = new Map<number, number>()
  const waits: number[] = []
  const onRequest = (id: number) => asked.set(id, performance.now())
  const onSuccess = (id: number) => {
    const since = asked.get(id)
    asked.delete(id)
    if (since !== undefined) {
      waits.push(performance.now() - since)
    }
  }
  pool?.on('acquireRequest', onRequest)
  pool?.on('acquireSuccess', onSuccess)
  return () => {
    pool?.removeListener('acquireRequest', onRequest)
    pool?.removeListener('acquireSuccess', onSuccess)
    return Float64Array.from(waits)
  }
}

/** Runs a load worker script in a worker thread and hands back its outcome. */
export function runLoadWorker(script: URL, job: LoadJob): Promise<LoadOutcome> {
  return new Promise<LoadOutcome>((resolve, reject) => {
    const worker = new Worker(script, { workerData: job })
    let result: LoadOutcome | undefined
    worker.once('message', (message: LoadOutcome) => {
      result = message
    })
    worker.once('error', reject)
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`Load worker exited with code ${code}`))
    )
  })
}

export async function runLoad(job: LoadJob): Promise<PhaseResult> {
  const before = performance.eventLoopUtilization()
  const stopRecording = recordPoolWaits()
  let poolWaits: Float64Array | undefined
  try {
    const outcome = await runLoadWorker(WORKER, job)
    poolWaits = stopRecording()
    return {
      ...outcome,
      serverBusy: performance.eventLoopUtilization(before).utilization,
      poolWaits,
    }
  } finally {
    if (!poolWaits) {
      stopRecording()
    }
  }
}
