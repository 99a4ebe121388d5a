/*
 * The tables bench/plugins.ts prints: core request latency with and
 * without the bench plugins (ratios against the no-plugins phases of the
 * same run), each run's figures, and what each plugin received.
 */
import { markdownTable, ms, percentile, seconds, type Cell } from '../support/report.js'
import type { DeliveryReport } from '../work_api/delivery_log.js'
import type { PhaseResult } from '../work_api/load.js'
import type { Combined } from '../work_api/report.js'

export type Mode = 'none' | 'plugins'

export const MODE_LABELS: Record<Mode, string> = {
  none: 'no plugins (installed, disabled)',
  plugins: '3 plugins enabled',
}

/** One measured run: both endpoints loaded at once. */
export interface Run {
  round: number
  mode: Mode
  create: PhaseResult
  list: PhaseResult
}

export interface EndpointRows {
  label: string
  none: Combined
  plugins: Combined
}

const ratio = (value: number) => value.toFixed(2)

export function latencyTable(endpoints: EndpointRows[]) {
  const rows: Cell[][] = endpoints.flatMap(({ label, none, plugins }) =>
    (['none', 'plugins'] as const).map((mode) => {
      const load = mode === 'none' ? none : plugins
      return [
        label,
        MODE_LABELS[mode],
        load.requests,
        load.reqPerSec.toFixed(0),
        ms(load.p50),
        ms(load.p99),
        mode === 'none' ? '1.00' : ratio(load.p99 / none.p99),
        mode === 'none' ? '1.00' : ratio(load.p50 / none.p50),
        mode === 'none' ? '1.00' : ratio(load.reqPerSec / none.reqPerSec),
        load.failures,
        `${(load.serverBusy * 100).toFixed(0)} %`,
        Number.isNaN(load.poolWait.p50)
          ? '-'
          : `${ms(load.poolWait.p50)} / ${ms(load.poolWait.p99)}`,
      ]
    })
  )
  return markdownTable(
    [
      'Endpoint',
      'Phase',
      'Requests',
      'req/s',
      'p50',
      'p99',
      'p99 vs no plugins',
      'p50 vs no plugins',
      'req/s vs no plugins',
      'Failed',
      'Server thread busy',
      'Pool wait p50 / p99',
    ],
    rows
  )
}

export function runsTable(runs: Run[]) {
  const latency = (result: PhaseResult) =>
    `${ms(percentile([...result.latencies], 50))} / ${ms(percentile([...result.latencies], 99))}`
  const perSecond = (result: PhaseResult) =>
    (result.latencies.length / ((result.endedAt - result.startedAt) / 1000)).toFixed(0)
  return markdownTable(
    ['Round', 'Phase', 'create req/s', 'create p50 / p99', 'list req/s', 'list p50 / p99'],
    runs.map((run) => [
      run.round,
      MODE_LABELS[run.mode],
      perSecond(run.create),
      latency(run.create),
      perSecond(run.list),
      latency(run.list),
    ])
  )
}

/** One plugin's deliveries over every "3 plugins" run. */
export interface PluginDeliveries {
  pluginId: string
  reports: DeliveryReport[]
  /** Rows its handler wrote to `<id>_entries` (every run, warm-up included). */
  entries: number
  /** Distinct events it received (every run, warm-up included). */
  distinctEvents: number
}

export function totals(reports: DeliveryReport[]) {
  const sum = (value: (report: DeliveryReport) => number) =>
    reports.reduce((total, report) => total + value(report), 0)
  return {
    expected: sum((report) => report.expected),
    delivered: sum((report) => report.delivered),
    lost: sum((report) => report.lost),
    rawDuplicates: sum((report) => report.rawDuplicates),
    duplicatesAfterDedupe: sum((report) => report.duplicatesAfterDedupe),
    lagMs: reports.flatMap((report) => report.lagMs),
    lagAfterResponseMs: reports.flatMap((report) => report.lagAfterResponseMs),
    tailMs: Math.max(...reports.map((report) => report.tailMs)),
  }
}

const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity)

export function lagCell(lagMs: number[]) {
  if (lagMs.length === 0) {
    return '-'
  }
  return `${seconds(percentile(lagMs, 50))} / ${seconds(percentile(lagMs, 99))} / ${seconds(max(lagMs))}`
}

export function deliveryTable(plugins: PluginDeliveries[]) {
  const rows: Cell[][] = plugins.map(({ pluginId, reports, entries, distinctEvents }) => {
    const total = totals(reports)
    return [
      pluginId,
      `${total.delivered} / ${total.expected}`,
      total.lost,
      `${total.duplicatesAfterDedupe} / ${total.rawDuplicates}`,
      lagCell(total.lagMs),
      lagCell(total.lagAfterResponseMs),
      seconds(total.tailMs),
      `${entries} / ${distinctEvents}`,
    ]
  })
  const all = totals(plugins.flatMap((plugin) => plugin.reports))
  rows.push([
    'all three',
    `${all.delivered} / ${all.expected}`,
    all.lost,
    `${all.duplicatesAfterDedupe} / ${all.rawDuplicates}`,
    lagCell(all.lagMs),
    lagCell(all.lagAfterResponseMs),
    seconds(all.tailMs),
    '-',
  ])
  return markdownTable(
    [
      'Plugin',
      'task.created delivered / tasks created (201)',
      'Lost',
      'Dup. after dedupe / raw dup.',
      'Lag p50 / p99 / max',
      'After the 201: p50 / p99 / max',
      'Last delivery after the last 201',
      'Table rows / distinct events',
    ],
    rows
  )
}
