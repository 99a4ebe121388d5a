/*
 * Tables printed by bench/tenant_scoping.ts.
 */
import type { LoadResult } from '../support/load.js'
import { markdownTable } from '../support/report.js'
import type { Checks } from '../support/runner.js'
import { ENDPOINTS, ORDER, type EndpointKey } from './endpoints.js'

export const TARGET_RATIO = 0.9

export interface Run {
  round: number
  key: EndpointKey
  result: LoadResult
}

interface Averages {
  rps: number
  p99: number
  /** Server main-thread time per request, ms. */
  cpu: number
}

const micros = (valueMs: number) => `${(valueMs * 1000).toFixed(0)} µs`

function mean(values: number[]) {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

function averages(runs: Run[]) {
  const averaged = {} as Record<EndpointKey, Averages>
  for (const key of ORDER) {
    const results = runs.filter((run) => run.key === key).map((run) => run.result)
    averaged[key] = {
      rps: mean(results.map((r) => r.reqPerSec)),
      p99: mean(results.map((r) => r.p99)),
      cpu: mean(results.map((r) => r.busyMsPerRequest)),
    }
  }
  return averaged
}

export function runsTable(runs: Run[]) {
  return markdownTable(
    [
      'Round',
      'Endpoint',
      'req/s',
      'p50 latency',
      'p99 latency',
      'Server CPU per request',
      'Requests',
      'Errors + non-2xx',
    ],
    runs.map(({ round, key, result }) => [
      round,
      ENDPOINTS[key].label,
      result.reqPerSec.toFixed(0),
      `${result.p50} ms`,
      `${result.p99} ms`,
      micros(result.busyMsPerRequest),
      result.requests,
      result.failures,
    ])
  )
}

function endpointTable(avg: Record<EndpointKey, Averages>) {
  return markdownTable(
    ['Endpoint', 'req/s', 'p99 latency', 'Server CPU per request', 'req/s vs (b)'],
    ORDER.map((key) => [
      ENDPOINTS[key].label,
      avg[key].rps.toFixed(0),
      `${avg[key].p99.toFixed(1)} ms`,
      micros(avg[key].cpu),
      ENDPOINTS[key].queries ? (avg[key].rps / avg.b.rps).toFixed(3) : '-',
    ])
  )
}

/**
 * Splits the gap between (a) and (b), in req/s and in server CPU per
 * request (as a throughput ratio, baseline CPU / CPU, and in µs added).
 */
function breakdownTable(avg: Record<EndpointKey, Averages>) {
  const row = (x: EndpointKey, y: EndpointKey, what: string) => [
    `(${x}) vs (${y})`,
    (avg[x].rps / avg[y].rps).toFixed(3),
    (avg[y].cpu / avg[x].cpu).toFixed(3),
    micros(avg[x].cpu - avg[y].cpu),
    what,
  ]
  return markdownTable(
    ['Comparison', 'req/s ratio', 'CPU ratio', 'CPU added per request', 'What differs'],
    [
      row('f', 'e', 'tenant middleware alone (host lookup, cached; AsyncLocalStorage), no query'),
      row('c', 'b', 'tenant scoping (middleware, bound table name), plain SQL'),
      row('a', 'd', 'tenant scoping, with Lucid models (TenantModel vs BaseModel)'),
      row('d', 'b', 'Lucid ORM (query builder, hydration, serialization), no tenancy'),
    ]
  )
}

function median(values: number[]) {
  const sorted = [...values].sort((x, y) => x - y)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Ratio of two endpoints' req/s within each round (their runs are close
 * in time), then the median over rounds: one disturbed run on a shared
 * two-core machine moves it less than a ratio of means.
 */
function medianRoundRatio(runs: Run[], x: EndpointKey, y: EndpointKey) {
  const rounds = [...new Set(runs.map((run) => run.round))]
  const rpsOf = (round: number, key: EndpointKey) =>
    runs.find((run) => run.round === round && run.key === key)!.result.reqPerSec
  return median(rounds.map((round) => rpsOf(round, x) / rpsOf(round, y)))
}

/*
 * The target is about what tenant scoping costs, so it compares the same
 * queries scoped by the engine and hard-wired to the schema: plain SQL
 * ((c) vs (b)) and Lucid models ((a) vs (d)). (a) vs (b) also includes
 * what the ORM costs with or without tenancy; it is reported, not judged.
 */
export function summaryTables(runs: Run[], checks: Checks) {
  const avg = averages(runs)
  const judged = [
    ['c', 'b', 'same SQL: tenancy engine (c) / hard-wired schema (b)'],
    ['a', 'd', 'same model calls: tenant models (a) / models on a hard-wired table (d)'],
  ] as const
  const rows = judged.map(([x, y, what]) => {
    const ratio = medianRoundRatio(runs, x, y)
    const label = `${what}, median over rounds of req/s ratio >= ${TARGET_RATIO}`
    return [label, ratio.toFixed(3), checks.target(label, ratio >= TARGET_RATIO)]
  })
  rows.push([
    'tenant models (a) / hard-wired raw SQL (b), ORM cost included (not judged)',
    medianRoundRatio(runs, 'a', 'b').toFixed(3),
    '-',
  ])
  const target = markdownTable(['Target', 'Measured', 'Result'], rows)
  return [
    `Means over the ${runs.length / ORDER.length} rounds:`,
    endpointTable(avg),
    target,
    breakdownTable(avg),
  ].join('\n\n')
}
