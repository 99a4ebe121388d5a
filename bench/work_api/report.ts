/*
 * The table bench/work_api.ts prints: one row per phase, ratios against
 * the baseline (GET /api/v1/me) measured in the same run.
 */
import { markdownTable, ms, percentile, seconds, type Cell } from '../support/report.js'
import type { DeliveryReport } from './delivery_log.js'
import type { PhaseResult } from './load.js'

/** Several runs of one endpoint, taken together. */
export interface Combined {
  requests: number
  reqPerSec: number
  p50: number
  p99: number
  failures: number
  serverBusy: number
  /** Per pool checkout, ms. */
  poolWait: { p50: number; p99: number }
}

export function combine(results: PhaseResult[]): Combined {
  const latencies = results.flatMap((result) => [...result.latencies])
  const poolWaits = results.flatMap((result) => [...result.poolWaits])
  const elapsedSeconds =
    results.reduce((sum, result) => sum + (result.endedAt - result.startedAt), 0) / 1000
  const weighted = (value: (result: PhaseResult) => number) =>
    results.reduce((sum, result) => sum + value(result) * (result.endedAt - result.startedAt), 0) /
    (elapsedSeconds * 1000)
  return {
    requests: latencies.length,
    reqPerSec: latencies.length / elapsedSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: results.reduce((sum, result) => sum + result.errors + result.wrongAnswers, 0),
    serverBusy: weighted((result) => result.serverBusy),
    poolWait: { p50: percentile(poolWaits, 50), p99: percentile(poolWaits, 99) },
  }
}

export interface Row {
  phase: string
  load: Combined
  outbox?: DeliveryReport
}

const ratio = (value: number) => value.toFixed(2)

function lagCell(report: DeliveryReport) {
  if (report.lagMs.length === 0) {
    return '-'
  }
  const max = report.lagMs.reduce((a, b) => Math.max(a, b), -Infinity)
  return `${seconds(percentile(report.lagMs, 50))} / ${seconds(percentile(report.lagMs, 99))} / ${seconds(max)}`
}

export function phaseTable(rows: Row[], baseline: Combined) {
  const cells: Cell[][] = rows.map(({ phase, load, outbox }) => [
    phase,
    load.requests,
    load.reqPerSec.toFixed(0),
    ms(load.p50),
    ms(load.p99),
    ratio(load.reqPerSec / baseline.reqPerSec),
    ratio(load.p99 / baseline.p99),
    load.failures,
    `${(load.serverBusy * 100).toFixed(0)} %`,
    `${ms(load.poolWait.p50)} / ${ms(load.poolWait.p99)}`,
    outbox ? outbox.eventsPerSecond.toFixed(0) : '-',
    outbox ? lagCell(outbox) : '-',
    outbox ? `${outbox.lost} / ${outbox.duplicatesAfterDedupe} / ${outbox.rawDuplicates}` : '-',
  ])
  return markdownTable(
    [
      'Phase',
      'Requests',
      'req/s',
      'p50',
      'p99',
      'req/s vs baseline',
      'p99 vs baseline',
      'Failed',
      'Server thread busy',
      'Pool wait p50 / p99',
      'Events/s delivered',
      'Lag p50 / p99 / max',
      'Lost / dup. after dedupe / raw dup.',
    ],
    cells
  )
}
