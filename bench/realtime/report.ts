/*
 * The tables bench/realtime.ts prints: per scenario, each measure for
 * Tandem and for bare Socket.IO measured in the same run, their ratio,
 * the target and its verdict. Correctness (every socket connected, every
 * message delivered once, stored rows = acks, ...) is checked as the rows
 * are built.
 */
import type { Checks } from '../support/runner.js'
import { markdownTable, ms, seconds, type Cell } from '../support/report.js'
import type {
  ConnectionsAndPresence,
  CpuShare,
  Fanout,
  Quantiles,
  Throughput,
} from './scenarios.js'

export const TARGETS = {
  fanoutP99Ms: 100,
  throughputPerSecond: 2000,
  redisPerHeartbeat: 0.01,
}

const HEADERS = ['Measure', 'Tandem', 'bare Socket.IO', 'Tandem / bare', 'Target', 'Result']

type Side<T> = T | undefined

const int = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-'
const bytes = (value: number) => (Number.isFinite(value) ? `${(value / 1024).toFixed(1)} KiB` : '-')
const mib = (value: number) =>
  Number.isFinite(value) ? `${(value / 2 ** 20).toFixed(0)} MiB` : '-'
const quant = (value: Quantiles, key: 'p50' | 'p99' | 'max') => (value.count ? ms(value[key]) : '-')

function ratio(tandem: number | undefined, bare: number | undefined) {
  if (tandem === undefined || bare === undefined || !Number.isFinite(tandem) || !bare) {
    return '-'
  }
  return (tandem / bare).toFixed(2)
}

/** A row with a number on each side; `show` formats it. */
function row<T>(
  measure: string,
  tandem: Side<T>,
  bare: Side<T>,
  value: (side: T) => number,
  show: (value: number) => string,
  target: Cell = '-',
  result: Cell = '-'
): Cell[] {
  const t = tandem === undefined ? undefined : value(tandem)
  const b = bare === undefined ? undefined : value(bare)
  return [
    measure,
    t === undefined ? '-' : show(t),
    b === undefined ? '-' : show(b),
    ratio(t, b),
    target,
    result,
  ]
}

/** A row of text on each side, no ratio. */
function textRow<T>(
  measure: string,
  tandem: Side<T>,
  bare: Side<T>,
  text: (side: T) => string,
  target: Cell = '-',
  result: Cell = '-'
): Cell[] {
  return [
    measure,
    tandem === undefined ? '-' : text(tandem),
    bare === undefined ? '-' : text(bare),
    '-',
    target,
    result,
  ]
}

/** Correctness on whichever sides ran; PASS/FAIL for the table. */
function correct<T>(
  checks: Checks,
  name: string,
  tandem: Side<T>,
  bare: Side<T>,
  pass: (side: T) => boolean
) {
  let ok = true
  for (const [label, side] of [
    ['Tandem', tandem],
    ['bare', bare],
  ] as const) {
    if (side !== undefined) {
      ok = checks.correctness(`${label}: ${name}`, pass(side)) && ok
    }
  }
  return ok ? 'PASS' : 'FAIL'
}

function connectRows<T extends { connect: Fanout['connect']; disconnects: number }>(
  checks: Checks,
  name: string,
  tandem: Side<T>,
  bare: Side<T>,
  expected: number
): Cell[][] {
  return [
    textRow(
      'Sockets connected (handshake storm, per second)',
      tandem,
      bare,
      (side) =>
        `${int(side.connect.connected)} / ${int(expected)} in ${seconds(side.connect.ms)} (${int(side.connect.perSecond)}/s)`,
      'all',
      correct(
        checks,
        `${name}: every socket connected`,
        tandem,
        bare,
        (side) => side.connect.connected === expected
      )
    ),
    textRow(
      'Sockets the server closed during the phase',
      tandem,
      bare,
      (side) => int(side.disconnects),
      '0',
      correct(
        checks,
        `${name}: no socket closed by the server`,
        tandem,
        bare,
        (side) => side.disconnects === 0
      )
    ),
  ]
}

/** The server's load over the measured window, and the client processes'. */
function loadRows<T>(tandem: Side<T>, bare: Side<T>, load: (side: T) => CpuShare): Cell[][] {
  const pct1 = (value: number) => `${value.toFixed(1)} %`
  return [
    row(
      'Server CPU (on-CPU time, /proc), % of one core',
      tandem,
      bare,
      (s) => load(s).server,
      pct1
    ),
    row(
      'Server event loop busy (ELU, includes waiting for a core)',
      tandem,
      bare,
      (s) => load(s).loopBusy,
      pct1
    ),
    textRow(
      'Server event loop delay p99 / max',
      tandem,
      bare,
      (side) => `${ms(load(side).loopDelayP99)} / ${ms(load(side).loopDelayMax)}`
    ),
    row('Client processes CPU, % of one core (all)', tandem, bare, (s) => load(s).clients, pct1),
    textRow(
      'Machine CPU: busy of 100 % per core (server + clients + PostgreSQL + Redis + bench + other)',
      tandem,
      bare,
      (side) => {
        const { busy, cores, groups } = load(side).machine
        const part = (name: string) => (groups[name] ?? 0).toFixed(0)
        return `${busy.toFixed(0)} % of ${cores * 100} % (${['server', 'clients', 'PostgreSQL', 'Redis', 'bench', 'other'].map(part).join(' + ')})`
      }
    ),
  ]
}

export function fanoutTable(checks: Checks, tandem: Side<Fanout>, bare: Side<Fanout>) {
  const any = (tandem ?? bare)!
  const rows: Cell[][] = [
    ...connectRows(checks, 'fan-out', tandem, bare, any.clients),
    textRow(
      'Joined the channel (channel:join acked)',
      tandem,
      bare,
      (side) => `${int(side.joins.joined)} / ${int(any.clients)}`,
      'all',
      correct(
        checks,
        'fan-out: every socket joined',
        tandem,
        bare,
        (side) => side.joins.failed === 0
      )
    ),
    textRow(
      'Messages acknowledged / sent',
      tandem,
      bare,
      (side) => `${int(side.messages.acked)} / ${int(side.messages.scheduled)}`,
      'all',
      correct(
        checks,
        'fan-out: every message acknowledged',
        tandem,
        bare,
        (side) => side.messages.acked === side.messages.scheduled
      )
    ),
    textRow(
      'Deliveries received / owed (each message to every other socket)',
      tandem,
      bare,
      (side) => `${int(side.receipts.received)} / ${int(side.receipts.expected)}`,
      'all, once',
      correct(
        checks,
        'fan-out: every delivery arrived once',
        tandem,
        bare,
        (side) =>
          side.receipts.missing === 0 &&
          side.receipts.duplicates === 0 &&
          side.receipts.unexpected === 0 &&
          side.receipts.received === side.receipts.expected
      )
    ),
    row('Delivery latency p50 (send -> each receiver)', tandem, bare, (s) => s.latency.p50, ms),
    row(
      'Delivery latency p99',
      tandem,
      bare,
      (s) => s.latency.p99,
      ms,
      `< ${TARGETS.fanoutP99Ms} ms`,
      tandem ? checks.target('fan-out delivery p99', tandem.latency.p99 < TARGETS.fanoutP99Ms) : '-'
    ),
    row('Delivery latency max', tandem, bare, (s) => s.latency.max, ms),
    textRow('Delivery latency p50 by quarter of the window', tandem, bare, (side) =>
      side.latencyByQuarter.map((value) => ms(value)).join(' / ')
    ),
    textRow(
      'Per message: send -> first receiver, p50 / p99',
      tandem,
      bare,
      (side) => `${quant(side.firstDeliveryMs, 'p50')} / ${quant(side.firstDeliveryMs, 'p99')}`
    ),
    textRow(
      'Per message: first -> last receiver, p50 / p99',
      tandem,
      bare,
      (side) => `${quant(side.spreadMs, 'p50')} / ${quant(side.spreadMs, 'p99')}`
    ),
    textRow('Timed deliveries', tandem, bare, (side) => int(side.latency.count)),
    textRow(
      'Ack latency p50 / p99 (sender)',
      tandem,
      bare,
      (side) => `${quant(side.ackMs, 'p50')} / ${quant(side.ackMs, 'p99')}`
    ),
    ...loadRows(tandem, bare, (side) => side.cpu),
    row('Sends behind schedule, p99 (client load)', tandem, bare, (s) => s.sendLateMs.p99, ms),
    row(
      'Server CPU per delivery (on-CPU time / deliveries in the window)',
      tandem,
      bare,
      (s) => (s.cpu.server * 10 * s.durationMs) / Math.max(1, s.deliveriesInWindow),
      (v) => `${v.toFixed(0)} µs`
    ),
    textRow('Redis commands per message (INFO commandstats)', tandem, undefined, (side) =>
      side.redis ? side.redis.perMessage.toFixed(1) : '-'
    ),
  ]
  return markdownTable(HEADERS, rows)
}

export function throughputTable(checks: Checks, tandem: Side<Throughput>, bare: Side<Throughput>) {
  const any = (tandem ?? bare)!
  const others = any.size - 1
  const rows: Cell[][] = [
    ...connectRows(checks, 'throughput', tandem, bare, any.channels * any.size),
    textRow(
      'Joined their channel',
      tandem,
      bare,
      (side) => `${int(side.joins.joined)} / ${int(any.channels * any.size)}`,
      'all',
      correct(
        checks,
        'throughput: every socket joined',
        tandem,
        bare,
        (side) => side.joins.failed === 0
      )
    ),
    row(
      `Messages/s stored and delivered to all ${others} others (sent in the window)`,
      tandem,
      bare,
      (s) => s.fullyDeliveredPerSecond,
      int,
      `>= ${int(TARGETS.throughputPerSecond)}`,
      tandem
        ? checks.target(
            'throughput messages/s',
            tandem.fullyDeliveredPerSecond >= TARGETS.throughputPerSecond
          )
        : '-'
    ),
    row('Messages/s stored (acks in the window)', tandem, bare, (s) => s.persistedPerSecond, int),
    row('Deliveries/s (message:new received)', tandem, bare, (s) => s.deliveriesPerSecond, int),
    row('Ack latency p50', tandem, bare, (s) => s.ackMs.p50, ms),
    row('Ack latency p99', tandem, bare, (s) => s.ackMs.p99, ms),
    row('Delivery latency p50 (send -> each receiver)', tandem, bare, (s) => s.deliveryMs.p50, ms),
    row('Delivery latency p99', tandem, bare, (s) => s.deliveryMs.p99, ms),
    textRow(
      'Sends refused or timed out',
      tandem,
      bare,
      (side) => int(side.totals.failed),
      '0',
      correct(
        checks,
        'throughput: no send failed',
        tandem,
        bare,
        (side) => side.totals.failed === 0
      )
    ),
    textRow(
      'Deliveries lost / duplicated / unexpected, per receiver (whole phase)',
      tandem,
      bare,
      (side) =>
        `${int(side.totals.lost)} / ${int(side.totals.duplicates)} / ${int(side.totals.unexpected)} of ${int(side.totals.expectedDeliveries)}`,
      '0 / 0 / 0',
      correct(
        checks,
        'throughput: no delivery lost, duplicated or unexpected',
        tandem,
        bare,
        (side) =>
          side.totals.lost === 0 && side.totals.duplicates === 0 && side.totals.unexpected === 0
      )
    ),
    textRow(
      'Channels whose acknowledged seqs are not contiguous',
      tandem,
      bare,
      (side) => `${int(side.totals.channelsWithGaps)} of ${int(side.channels)}`,
      '0',
      correct(
        checks,
        'throughput: seqs contiguous per channel',
        tandem,
        bare,
        (side) => side.totals.channelsWithGaps === 0
      )
    ),
    textRow('Deliveries out of seq order (not judged)', tandem, bare, (side) =>
      int(side.totals.outOfOrder)
    ),
    textRow(
      'Rows stored = messages acknowledged (database, per channel)',
      tandem,
      undefined,
      (side) =>
        side.database ? `${int(side.database.stored)} = ${int(side.database.acked)}` : '-',
      'equal',
      tandem?.database
        ? checks.correctness('throughput: stored rows = acks', tandem.database.matches)
          ? 'PASS'
          : 'FAIL'
        : '-'
    ),
    textRow(
      'Outbox backlog at the end of the window, then drained in',
      tandem,
      undefined,
      (side) =>
        side.outbox
          ? `${int(side.outbox.backlogAtEnd)} events, ${seconds(side.outbox.drainMs)}`
          : '-'
    ),
    ...loadRows(tandem, bare, (side) => side.cpu),
    row(
      'Server CPU per stored message (on-CPU time / acks in the window)',
      tandem,
      bare,
      (s) =>
        (s.cpu.server * s.durationMs) /
        100 /
        Math.max(1, s.persistedPerSecond * (s.durationMs / 1000)),
      (v) => `${v.toFixed(2)} ms`
    ),
    textRow(
      'PostgreSQL transactions committed per stored message (all kinds, pg_stat_database)',
      tandem,
      undefined,
      (side) =>
        side.commits === undefined
          ? '-'
          : (
              side.commits / Math.max(1, side.persistedPerSecond * (side.durationMs / 1000))
            ).toFixed(2)
    ),
    textRow(
      'PostgreSQL CPU per stored message (all its processes, any database)',
      tandem,
      undefined,
      (side) =>
        `${((side.cpu.machine.groups.PostgreSQL * side.durationMs) / 100 / Math.max(1, side.persistedPerSecond * (side.durationMs / 1000))).toFixed(2)} ms`
    ),
    textRow('Redis commands per message (INFO commandstats)', tandem, undefined, (side) =>
      side.redis ? side.redis.perMessage.toFixed(1) : '-'
    ),
  ]
  return markdownTable(HEADERS, rows)
}

function presenceCommands(side: ConnectionsAndPresence, withScripts: boolean) {
  const count = side.presence.redis?.byCategory.get('presence')
  if (!count) {
    return 0
  }
  return count.sent + (withScripts ? count.inScripts : 0)
}

export function presenceTable(
  checks: Checks,
  tandem: Side<ConnectionsAndPresence>,
  bare: Side<ConnectionsAndPresence>
) {
  const perHeartbeat = (side: ConnectionsAndPresence, value: number) =>
    value / Math.max(1, side.presence.acked)
  const redisAll = tandem?.presence.redis
    ? perHeartbeat(tandem, tandem.presence.redis.all)
    : Number.NaN
  const redisPresence = tandem?.presence.redis
    ? perHeartbeat(tandem, presenceCommands(tandem, true))
    : Number.NaN
  const show = (value: number) => value.toFixed(4)
  const rows: Cell[][] = [
    textRow(
      'Heartbeats acknowledged / sent',
      tandem,
      bare,
      (side) => `${int(side.presence.acked)} / ${int(side.presence.heartbeats)}`,
      'all',
      correct(
        checks,
        'presence: every heartbeat acknowledged',
        tandem,
        bare,
        (side) => side.presence.failed === 0 && side.presence.acked === side.presence.heartbeats
      )
    ),
    textRow(
      'Redis commands per heartbeat, all (INFO commandstats delta, scripts inner commands included)',
      tandem,
      undefined,
      () => `${show(redisAll)} (${int(tandem!.presence.redis?.all ?? Number.NaN)})`,
      `<= ${TARGETS.redisPerHeartbeat}`,
      tandem?.presence.redis
        ? checks.target('Redis commands per heartbeat (all)', redisAll <= TARGETS.redisPerHeartbeat)
        : '-'
    ),
    textRow(
      'Redis commands per heartbeat, presence (sent + run inside its scripts, MONITOR)',
      tandem,
      undefined,
      (side) => `${show(redisPresence)} (${int(presenceCommands(side, true))})`,
      `<= ${TARGETS.redisPerHeartbeat}`,
      tandem?.presence.redis
        ? checks.target(
            'Redis commands per heartbeat (presence)',
            redisPresence <= TARGETS.redisPerHeartbeat
          )
        : '-'
    ),
    textRow(
      'Redis commands per heartbeat, presence, sent by the node only',
      tandem,
      undefined,
      (side) =>
        `${show(perHeartbeat(side, presenceCommands(side, false)))} (${int(presenceCommands(side, false))})`
    ),
    ...loadRows(tandem, bare, (side) => side.presence.cpu),
    row('Heartbeat ack p99', tandem, bare, (s) => s.presence.ackMs.p99, ms),
    textRow(
      'Window',
      tandem,
      bare,
      (side) =>
        `${seconds(side.presence.windowMs)} (${int(side.connections)} connections x ${int(side.presence.heartbeats / Math.max(1, side.connections))} heartbeats)`
    ),
  ]
  return markdownTable(HEADERS, rows)
}

export function connectionsTable(
  checks: Checks,
  tandem: Side<ConnectionsAndPresence>,
  bare: Side<ConnectionsAndPresence>
) {
  const any = (tandem ?? bare)!
  const per = (side: ConnectionsAndPresence, key: 'rss' | 'heapUsed') =>
    (side.after[key] - side.before[key]) / side.connections
  const rows: Cell[][] = [
    ...connectRows(checks, 'connections', tandem, bare, any.connections),
    row(
      'Server RSS per idle connection ((after - before) / N)',
      tandem,
      bare,
      (s) => per(s, 'rss'),
      bytes
    ),
    row(
      'Server V8 heap per idle connection (after full GC)',
      tandem,
      bare,
      (s) => per(s, 'heapUsed'),
      bytes
    ),
    textRow(
      'Server RSS before -> after',
      tandem,
      bare,
      (side) => `${mib(side.before.rss)} -> ${mib(side.after.rss)}`
    ),
    textRow(
      'Server V8 heap before -> after',
      tandem,
      bare,
      (side) => `${mib(side.before.heapUsed)} -> ${mib(side.after.heapUsed)}`
    ),
  ]
  return markdownTable(HEADERS, rows)
}

/** What else the Redis counts say: per module, and the busiest commands. */
export function redisNotes(
  presence: Side<ConnectionsAndPresence>,
  fanout: Side<Fanout>,
  throughput: Side<Throughput>
) {
  const lines: string[] = []
  const redis = presence?.presence.redis
  if (presence && redis) {
    const parts = [...redis.byCategory]
      .filter(([, count]) => count.sent + count.inScripts > 0)
      .map(([category, count]) => `${category} ${count.sent} sent + ${count.inScripts} in scripts`)
    lines.push(
      `- Presence window, Redis commands by module (MONITOR, by key prefix): ${parts.join('; ') || 'none'}. INFO commandstats: ${redis.all} in all (${presence.presence.redis!.allTop}).${redis.private ? '' : ' This Redis server is shared: the counts include other clients.'}`
    )
  }
  if (fanout?.redis) {
    lines.push(`- Fan-out window, Redis commands: ${fanout.redis.top}.`)
  }
  if (throughput?.redis) {
    lines.push(`- Throughput window, Redis commands: ${throughput.redis.top}.`)
  }
  return lines.join('\n')
}
