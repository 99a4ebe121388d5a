/*
 * The table bench/scim.ts prints: one row per phase, latency ratios
 * against the baseline (GET /scim/v2/ServiceProviderConfig) measured in
 * the same run.
 */
import { markdownTable, ms, percentile, seconds, type Cell } from '../support/report.js'
import type { ScimPhase } from './load.js'

/** One or more runs of the same requests, taken together. */
export interface Measured {
  latencies: number[]
  /** Summed over the runs. */
  elapsedMs: number
  statuses: Record<number, number>
  wrongAnswers: number
  errors: number
  serverBusy: number
  firstProblem?: string
}

export function measured(runs: ScimPhase[]): Measured {
  const total = (value: (run: ScimPhase) => number) =>
    runs.reduce((sum, run) => sum + value(run), 0)
  const elapsedMs = total((run) => run.endedAt - run.startedAt)
  const statuses: Record<number, number> = {}
  for (const [status, count] of runs.flatMap((run) => Object.entries(run.statuses))) {
    statuses[Number(status)] = (statuses[Number(status)] ?? 0) + count
  }
  return {
    latencies: runs.flatMap((run) => [...run.latencies]),
    elapsedMs,
    statuses,
    wrongAnswers: total((run) => run.wrongAnswers),
    errors: total((run) => run.errors),
    serverBusy: total((run) => run.serverBusy * (run.endedAt - run.startedAt)) / elapsedMs,
    firstProblem: runs.find((run) => run.firstProblem)?.firstProblem,
  }
}

export const failures = (phase: Measured) => phase.wrongAnswers + phase.errors

export function maxOf(values: number[]) {
  return values.reduce((max, value) => Math.max(max, value), -Infinity)
}

export interface Row {
  phase: string
  concurrency: number
  load: Measured
}

export function phaseTable(rows: Row[], baseline: Measured) {
  const baselineP99 = percentile(baseline.latencies, 99)
  const cells: Cell[][] = rows.map(({ phase, concurrency, load }) => [
    phase,
    load.latencies.length + load.errors,
    concurrency,
    seconds(load.elapsedMs),
    (load.latencies.length / (load.elapsedMs / 1000)).toFixed(0),
    ...[50, 95, 99].map((p) => ms(percentile(load.latencies, p))),
    ms(maxOf(load.latencies)),
    (percentile(load.latencies, 99) / baselineP99).toFixed(2),
    Object.entries(load.statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', '),
    `${load.wrongAnswers} / ${load.errors}`,
    `${(load.serverBusy * 100).toFixed(0)} %`,
  ])
  return markdownTable(
    [
      'Phase',
      'Requests',
      'Concurrency',
      'Time',
      'req/s',
      'p50',
      'p95',
      'p99',
      'max',
      'p99 vs baseline',
      'Answers by status',
      'Wrong answers / socket errors',
      'Server thread busy',
    ],
    cells
  )
}
