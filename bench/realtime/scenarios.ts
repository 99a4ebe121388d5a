/*
 * The scenarios of bench/realtime.ts, each run the same way against
 * either server: the same client processes, socket counts, rates and
 * durations. The bench process schedules and measures (server CPU and RSS
 * from /proc, Redis counts); the client processes send and receive.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { ClientPool } from './clients.js'
import type {
  ConnectResult,
  FanoutReceipts,
  FanoutSent,
  JoinResult,
  Peer,
  PresenceResult,
  ThroughputResult,
} from './protocol.js'
import { clock } from './protocol.js'
import { cpuMs, MachineMeter, type MachineShare } from './proc.js'
import { commandDeltas, totalCommands, type BenchRedis, type CategoryCount } from './redis.js'
import type { Memory, ServerUnderTest } from './servers.js'
import type { Settings } from './settings.js'
import type { ThroughputChannel } from './fixtures.js'

const ACK_TIMEOUT_MS = 10_000
const JOIN_CONCURRENCY = 50
const startedAt = clock()

/** A line on stderr as the run goes (stdout is the report). */
export function progress(message: string) {
  console.error(`[${((clock() - startedAt) / 1000).toFixed(1)} s] ${message}`)
}

export interface Target {
  server: ServerUnderTest
  /** Fan-out and presence sockets: this host, these tokens in turn. */
  host: string
  tokens: string[]
  fanoutChannelId: number
  throughputChannels: ThroughputChannel[]
  /** Tandem only: Redis to count (keys under `redisPrefix`), database checks. */
  redis?: BenchRedis
  redisPrefix?: string
  checks?: {
    messageCounts(): Promise<Map<string, { count: number; maxSeq: number }>>
    outboxBacklog(): Promise<number>
    commits(): Promise<number>
  }
}

export interface Quantiles {
  count: number
  p50: number
  p99: number
  max: number
}

export function quantiles(parts: Float64Array[]): Quantiles {
  const total = parts.reduce((sum, part) => sum + part.length, 0)
  const all = new Float64Array(total)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  all.sort()
  const at = (p: number) =>
    total === 0 ? Number.NaN : all[Math.min(total, Math.max(1, Math.ceil((p / 100) * total))) - 1]
  return { count: total, p50: at(50), p99: at(99), max: total === 0 ? Number.NaN : all[total - 1] }
}

/** Which client process holds each socket, and its index there. */
interface Layout {
  /** Per process: the global socket numbers it holds, in local order. */
  globals: number[][]
  /** Global socket number -> [process, local index]. */
  where: [number, number][]
}

function layout(count: number, processes: number, processOf: (global: number) => number) {
  const globals: number[][] = Array.from({ length: processes }, () => [])
  const where: [number, number][] = []
  for (let global = 0; global < count; global++) {
    const owner = processOf(global)
    where.push([owner, globals[owner].length])
    globals[owner].push(global)
  }
  return { globals, where } satisfies Layout
}

async function sleepUntil(at: number) {
  const wait = at - clock()
  if (wait > 0) {
    await sleep(wait)
  }
}

export interface ConnectOutcome extends ConnectResult {
  /** Handshakes per second over the whole storm. */
  perSecond: number
}

/** Socket `global` of fan-out and presence: a member of tenant "rt", members in turn. */
function memberPeer(target: Target) {
  return (global: number): Peer => ({
    host: target.host,
    token: target.tokens[global % target.tokens.length],
  })
}

async function connectAll(
  settings: Settings,
  clients: ClientPool,
  target: Target,
  plan: Layout,
  peer: (global: number) => Peer
): Promise<ConnectOutcome> {
  const started = clock()
  const results = await clients.each<ConnectResult>((index) => ({
    op: 'connect',
    job: {
      url: target.server.url,
      peers: plan.globals[index].map(peer),
      concurrency: Math.max(1, Math.floor(settings.connectBatch / clients.size)),
      timeoutMs: 30_000,
    },
  }))
  const ms = clock() - started
  const connected = results.reduce((sum, result) => sum + result.connected, 0)
  return {
    connected,
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    firstError: results.find((result) => result.firstError)?.firstError,
    ms,
    perSecond: connected / (ms / 1000),
  }
}

async function joinAll(clients: ClientPool, plan: Layout, channelOf: (global: number) => number) {
  const results = await clients.each<JoinResult>((index) => ({
    op: 'join',
    job: {
      joins: plan.globals[index].map((global, socket) => ({
        socket,
        channelId: channelOf(global),
      })),
      concurrency: JOIN_CONCURRENCY,
      timeoutMs: ACK_TIMEOUT_MS,
    },
  }))
  return {
    joined: results.reduce((sum, result) => sum + result.joined, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    firstError: results.find((result) => result.firstError)?.firstError,
  }
}

/**
 * Until the server's CPU stays under 15 % of a core for a quarter second
 * (disconnections processed, outbox drained), at most `timeoutMs`.
 */
async function settle(target: Target, timeoutMs = 20_000) {
  const deadline = clock() + timeoutMs
  while (clock() < deadline) {
    const before = cpuMs(target.server.pid)
    await sleep(250)
    const busy = (cpuMs(target.server.pid) - before) / 250
    const backlog = target.checks ? await target.checks.outboxBacklog() : 0
    if (busy < 0.15 && backlog === 0) {
      return
    }
  }
}

async function closeAll(clients: ClientPool, target: Target) {
  await clients.close()
  await settle(target)
  progress(`${target.server.kind}: sockets closed`)
}

/** The server and the client processes over a window. */
export interface CpuShare {
  /** On-CPU time of the server process (/proc), % of one core. */
  server: number
  /** Of the client processes, all together. */
  clients: number
  /**
   * Share of the window the server's event loop was not idle (event loop
   * utilization, from inside): includes time blocked in system calls or
   * waiting for a core, which on-CPU time does not.
   */
  loopBusy: number
  /** Event loop delay (monitorEventLoopDelay, 10 ms resolution), ms. */
  loopDelayP99: number
  loopDelayMax: number
  /** The whole machine over the window, by group of processes. */
  machine: MachineShare
}

/** Starts measuring the server and clients; the returned function ends the window. */
async function measureLoad(target: Target, clients: ClientPool) {
  const meter = new MachineMeter({
    server: [target.server.pid],
    clients: clients.pids,
    bench: [process.pid],
  }).start()
  const first = await target.server.loop()
  return async (): Promise<CpuShare> => {
    const machine = meter.read()
    const last = await target.server.loop()
    const active = last.active - first.active
    const idle = last.idle - first.idle
    return {
      server: machine.groups.server,
      clients: machine.groups.clients,
      machine,
      loopBusy: (active / Math.max(1, active + idle)) * 100,
      loopDelayP99: last.delayP99,
      loopDelayMax: last.delayMax,
    }
  }
}

interface RedisWindow {
  stop(): Promise<{ total: number; top: string }>
}

async function countRedis(target: Target): Promise<RedisWindow | undefined> {
  const redis = target.redis
  if (!redis) {
    return undefined
  }
  const before = await redis.commandStats()
  return {
    async stop() {
      const after = await redis.commandStats()
      const top = commandDeltas(before, after)
        .slice(0, 6)
        .map(([command, calls]) => `${command} ${calls}`)
        .join(', ')
      return { total: totalCommands(before, after), top }
    },
  }
}

/* ------------------------------------------------------------------ */

export interface ConnectionsAndPresence {
  connections: number
  connect: ConnectOutcome
  before: Memory
  after: Memory
  presence: {
    heartbeats: number
    acked: number
    failed: number
    firstError?: string
    ackMs: Quantiles
    windowMs: number
    cpu: CpuShare
    redis?: {
      /** INFO commandstats delta: every command Redis ran, scripts' inner ones included. */
      all: number
      allTop: string
      /** From MONITOR, by key prefix. */
      byCategory: Map<string, CategoryCount>
      private: boolean
    }
  }
  disconnects: number
}

/**
 * `connections` idle sockets: the server's memory before and after
 * (garbage collected), then every socket heartbeats once per interval at
 * its own offset (spread evenly) for `intervals` intervals, while the
 * server's CPU and Redis's command counts are taken.
 */
export async function connectionsAndPresence(
  settings: Settings,
  clients: ClientPool,
  target: Target
): Promise<ConnectionsAndPresence> {
  const { connections, intervalMs, intervals } = settings.presence
  progress(`${target.server.kind}: ${connections} idle connections, then presence`)
  await settle(target)
  const before = await target.server.memory()
  const plan = layout(connections, clients.size, (global) => global % clients.size)
  const connect = await connectAll(settings, clients, target, plan, memberPeer(target))
  await settle(target)
  const after = await target.server.memory()
  progress(`${target.server.kind}: connected in ${(connect.ms / 1000).toFixed(1)} s; heartbeats`)

  const startAt = clock() + 1000
  const running = clients.each<PresenceResult>((index) => ({
    op: 'presence',
    job: {
      startAt,
      intervalMs,
      intervals,
      total: connections,
      globalIndex: plan.globals[index],
      ackTimeoutMs: ACK_TIMEOUT_MS,
    },
  }))
  await sleepUntil(startAt)
  const load = await measureLoad(target, clients)
  const [redisCount, log] = await Promise.all([
    countRedis(target),
    target.redis?.monitor(target.redisPrefix!),
  ])
  const windowStarted = clock()
  await sleepUntil(startAt + intervals * intervalMs)
  const cpu = await load()
  await log?.stop()
  const redisTotals = await redisCount?.stop()
  const windowMs = clock() - windowStarted
  const results = await running
  const disconnects = clients.disconnects
  await closeAll(clients, target)

  return {
    connections,
    connect,
    before,
    after,
    presence: {
      heartbeats: results.reduce((sum, result) => sum + result.sent, 0),
      acked: results.reduce((sum, result) => sum + result.acked, 0),
      failed: results.reduce((sum, result) => sum + result.failed, 0),
      firstError: results.find((result) => result.firstError)?.firstError,
      ackMs: quantiles(results.map((result) => result.ackMs)),
      windowMs,
      cpu,
      redis:
        redisTotals && log
          ? {
              all: redisTotals.total,
              allTop: redisTotals.top,
              byCategory: log.counts(),
              private: target.redis!.private,
            }
          : undefined,
    },
    disconnects,
  }
}

/* ------------------------------------------------------------------ */

export interface Fanout {
  clients: number
  /** The timed window. */
  durationMs: number
  /** Deliveries owed for the messages of the window. */
  deliveriesInWindow: number
  connect: ConnectOutcome
  joins: { joined: number; failed: number; firstError?: string }
  messages: { scheduled: number; acked: number; firstError?: string }
  latency: Quantiles
  /** Delivery latency p50 of the timed messages, by quarter of the window (falling behind?). */
  latencyByQuarter: number[]
  /** Per message: send -> its first delivery to any socket. */
  firstDeliveryMs: Quantiles
  /** Per message: first -> last delivery (the broadcast to every socket, client backlog included). */
  spreadMs: Quantiles
  ackMs: Quantiles
  /** How late the client processes sent against the schedule (their own load). */
  sendLateMs: Quantiles
  receipts: Pick<
    FanoutReceipts,
    'received' | 'expected' | 'missing' | 'duplicates' | 'unexpected' | 'drainMs'
  >
  cpu: CpuShare
  redis?: { perMessage: number; top: string }
  disconnects: number
}

/**
 * One channel, every socket in its room; `rate` messages a second from
 * `senders` of them in turn, open loop (on schedule, whatever the acks),
 * for warm-up + duration. Each delivery is timed from the send to that
 * receiver; only messages after the warm-up count.
 */
export async function fanout(
  settings: Settings,
  clients: ClientPool,
  target: Target
): Promise<Fanout> {
  const { clients: count, rate, durationMs, senders } = settings.fanout
  progress(`${target.server.kind}: fan-out`)
  const plan = layout(count, clients.size, (global) => global % clients.size)
  const connect = await connectAll(settings, clients, target, plan, memberPeer(target))
  const joins = await joinAll(clients, plan, () => target.fanoutChannelId)
  await settle(target)

  const periodMs = 1000 / rate
  const warmupCount = Math.round((settings.warmupMs / 1000) * rate)
  const total = warmupCount + Math.round((durationMs / 1000) * rate)
  const senderGlobals = Array.from({ length: senders }, (_, i) => Math.floor((i * count) / senders))
  const sends: { k: number; socket: number }[][] = clients.processes.map(() => [])
  for (let k = 0; k < total; k++) {
    const [owner, socket] = plan.where[senderGlobals[k % senders]]
    sends[owner].push({ k, socket })
  }
  const startAt = clock() + 1000
  const label = `fo${Math.round(startAt)}`
  const running = clients.each<FanoutSent>((index) => ({
    op: 'fanout',
    job: {
      label,
      channelId: target.fanoutChannelId,
      startAt,
      periodMs,
      count: total,
      warmupCount,
      sends: sends[index],
      ackTimeoutMs: ACK_TIMEOUT_MS,
    },
  }))
  const windowStart = startAt + warmupCount * periodMs
  await sleepUntil(windowStart)
  const load = await measureLoad(target, clients)
  const redisCount = await countRedis(target)
  await sleepUntil(windowStart + durationMs)
  const cpu = await load()
  const redisTotals = await redisCount?.stop()
  const sent = await running

  const expected: number[] = []
  for (const part of sent) {
    part.k.forEach((k, i) => part.ok[i] === 1 && expected.push(k))
  }
  const receipts = await clients.each<FanoutReceipts>(() => ({
    op: 'collect',
    job: { expected, timeoutMs: 15_000 },
  }))
  const disconnects = clients.disconnects
  await closeAll(clients, target)

  const sum = (value: (receipt: FanoutReceipts) => number) =>
    receipts.reduce((total_, receipt) => total_ + value(receipt), 0)
  const measuredMessages = total - warmupCount

  const sentAt = new Float64Array(total).fill(Number.NaN)
  for (const part of sent) {
    part.k.forEach((k, i) => (sentAt[k] = part.sentAt[i]))
  }
  const firstDelivery: number[] = []
  const spread: number[] = []
  for (let k = warmupCount; k < total; k++) {
    const firsts = receipts.map((receipt) => receipt.firstAt[k]).filter((at) => !Number.isNaN(at))
    const lasts = receipts.map((receipt) => receipt.lastAt[k]).filter((at) => !Number.isNaN(at))
    if (firsts.length > 0) {
      firstDelivery.push(Math.min(...firsts) - sentAt[k])
      spread.push(Math.max(...lasts) - Math.min(...firsts))
    }
  }
  const quarter = (n: number) => {
    const from = warmupCount + Math.floor((n * measuredMessages) / 4)
    const to = warmupCount + Math.floor(((n + 1) * measuredMessages) / 4)
    const values = receipts.map((receipt) =>
      receipt.latencies.filter((_, i) => receipt.latencyK[i] >= from && receipt.latencyK[i] < to)
    )
    return quantiles(values).p50
  }
  return {
    clients: count,
    durationMs,
    deliveriesInWindow: measuredMessages * (count - 1),
    connect,
    joins,
    messages: {
      scheduled: total,
      acked: expected.length,
      firstError: sent.find((part) => part.firstError)?.firstError,
    },
    latency: quantiles(receipts.map((receipt) => receipt.latencies)),
    latencyByQuarter: [0, 1, 2, 3].map(quarter),
    firstDeliveryMs: quantiles([Float64Array.from(firstDelivery)]),
    spreadMs: quantiles([Float64Array.from(spread)]),
    ackMs: quantiles(sent.map((part) => part.ackMs.filter((value) => !Number.isNaN(value)))),
    sendLateMs: quantiles(sent.map((part) => part.lateMs)),
    receipts: {
      received: sum((receipt) => receipt.received),
      expected: sum((receipt) => receipt.expected),
      missing: sum((receipt) => receipt.missing),
      duplicates: sum((receipt) => receipt.duplicates),
      unexpected: sum((receipt) => receipt.unexpected),
      drainMs: Math.max(...receipts.map((receipt) => receipt.drainMs)),
    },
    cpu,
    redis: redisTotals
      ? { perMessage: redisTotals.total / measuredMessages, top: redisTotals.top }
      : undefined,
    disconnects,
  }
}

/* ------------------------------------------------------------------ */

export interface Throughput {
  channels: number
  size: number
  connect: ConnectOutcome
  joins: { joined: number; failed: number; firstError?: string }
  durationMs: number
  persistedPerSecond: number
  fullyDeliveredPerSecond: number
  deliveriesPerSecond: number
  ackMs: Quantiles
  deliveryMs: Quantiles
  totals: ThroughputResult['totals']
  firstError?: string
  /** Tandem: stored rows per channel match the acknowledged messages. */
  database?: { matches: boolean; stored: number; acked: number }
  /** Tandem: domain events not yet delivered at the end of the window, and the time to drain them. */
  outbox?: { backlogAtEnd: number; drainMs: number }
  /** Tandem: transactions committed in the database over the window (every kind). */
  commits?: number
  cpu: CpuShare
  redis?: { perMessage: number; top: string }
  disconnects: number
}

/**
 * `channels` channels of `size` sockets each; in each channel the members
 * take turns sending, one message in flight per channel, as fast as the
 * acks come back (closed loop), for warm-up + duration. Counted over the
 * steady window after the warm-up.
 */
export async function throughput(
  settings: Settings,
  clients: ClientPool,
  target: Target
): Promise<Throughput> {
  const { channels, size, durationMs } = settings.throughput
  progress(`${target.server.kind}: throughput`)
  const count = channels * size
  const channelOfSocket = (global: number) => Math.floor(global / size)
  const plan = layout(count, clients.size, (global) => channelOfSocket(global) % clients.size)
  const channelOf = (global: number) => target.throughputChannels[channelOfSocket(global)]
  const connect = await connectAll(settings, clients, target, plan, (global) => ({
    host: channelOf(global).host,
    token: channelOf(global).tokens[global % size],
  }))
  const joins = await joinAll(clients, plan, (global) => channelOf(global).channelId)
  const keyOf = (channel: ThroughputChannel) => `${channel.host} ${channel.channelId}`
  await settle(target)

  const startAt = clock() + 1000
  const label = `tp${Math.round(startAt)}`
  const running = clients.each<ThroughputResult>((index) => ({
    op: 'throughput',
    job: {
      label,
      startAt,
      warmupMs: settings.warmupMs,
      durationMs,
      // Channel c and all its sockets are in process c % processes.
      channels: target.throughputChannels.flatMap((channel, c) =>
        c % clients.size === index
          ? [
              {
                key: keyOf(channel),
                channelId: channel.channelId,
                sockets: Array.from({ length: size }, (_, m) => plan.where[c * size + m][1]),
              },
            ]
          : []
      ),
      ackTimeoutMs: ACK_TIMEOUT_MS,
      drainTimeoutMs: 15_000,
    },
  }))
  const windowStart = startAt + settings.warmupMs
  await sleepUntil(windowStart)
  const load = await measureLoad(target, clients)
  const redisCount = await countRedis(target)
  const commitsBefore = await target.checks?.commits()
  await sleepUntil(windowStart + durationMs)
  const cpu = await load()
  const redisTotals = await redisCount?.stop()
  const commitsAfter = await target.checks?.commits()
  const backlogAtEnd = target.checks ? await target.checks.outboxBacklog() : 0
  const results = await running

  let outbox: Throughput['outbox']
  if (target.checks) {
    const drainStarted = clock()
    while ((await target.checks.outboxBacklog()) > 0 && clock() - drainStarted < 120_000) {
      await sleep(100)
    }
    outbox = { backlogAtEnd, drainMs: clock() - drainStarted }
  }
  let database: Throughput['database']
  if (target.checks) {
    const stored = await target.checks.messageCounts()
    const acked = results.flatMap((result) => result.channels)
    database = {
      matches: acked.every((channel) => {
        const row = stored.get(channel.key)
        return (row?.count ?? 0) === channel.acked && (row?.maxSeq ?? 0) === channel.maxSeq
      }),
      stored: [...stored.values()].reduce((sum, row) => sum + row.count, 0),
      acked: acked.reduce((sum, channel) => sum + channel.acked, 0),
    }
  }
  const disconnects = clients.disconnects
  await closeAll(clients, target)

  const seconds = durationMs / 1000
  const sum = (value: (result: ThroughputResult) => number) =>
    results.reduce((total, result) => total + value(result), 0)
  const totals = Object.fromEntries(
    Object.keys(results[0].totals).map((key) => [
      key,
      key === 'drainMs'
        ? Math.max(...results.map((result) => result.totals.drainMs))
        : sum((result) => result.totals[key as keyof ThroughputResult['totals']]),
    ])
  ) as ThroughputResult['totals']
  const messagesInWindow = sum((result) => result.window.sent)
  return {
    channels,
    size,
    connect,
    joins,
    durationMs,
    persistedPerSecond: sum((result) => result.window.acked) / seconds,
    fullyDeliveredPerSecond: sum((result) => result.window.fullyDelivered) / seconds,
    deliveriesPerSecond: sum((result) => result.window.deliveries) / seconds,
    ackMs: quantiles(results.map((result) => result.window.ackMs)),
    deliveryMs: quantiles(results.map((result) => result.window.deliveryMs)),
    totals,
    firstError: results.find((result) => result.firstError)?.firstError,
    database,
    outbox,
    commits:
      commitsBefore === undefined || commitsAfter === undefined
        ? undefined
        : commitsAfter - commitsBefore,
    cpu,
    redis: redisTotals
      ? { perMessage: redisTotals.total / Math.max(1, messagesInWindow), top: redisTotals.top }
      : undefined,
    disconnects,
  }
}
