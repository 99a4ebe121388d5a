/*
 * A client process of bench/realtime.ts: holds socket.io-client sockets
 * (websocket only, the tenant in the Host header, the token in the
 * handshake's auth, as tests/helpers/realtime.ts connects) and runs the
 * parts of each scenario that concern its sockets, on orders from the
 * bench process (protocol.ts). Forked with 'advanced' IPC serialization.
 * Loads no app code, so the server under test is the only Tandem process
 * doing Tandem's work.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { io, type Socket } from 'socket.io-client'
import { forEachConcurrently } from '../support/report.js'
import {
  clock,
  type CollectJob,
  type ConnectJob,
  type ConnectResult,
  type Envelope,
  type FanoutJob,
  type FanoutReceipts,
  type FanoutSent,
  type JoinJob,
  type JoinResult,
  type PresenceJob,
  type PresenceResult,
  type Reply,
  type ThroughputJob,
  type ThroughputResult,
} from './protocol.js'

interface Ack {
  ok: boolean
  data?: { message?: { seq: number } } | null
  errors?: { code: string; message: string }[]
}

interface StoredMessage {
  channel_id: number
  seq: number
  body: string
}

/** A Float64Array that grows: millions of samples without a JS array per value. */
class Samples {
  #values = new Float64Array(1024)
  length = 0

  push(value: number) {
    if (this.length === this.#values.length) {
      const larger = new Float64Array(this.#values.length * 2)
      larger.set(this.#values)
      this.#values = larger
    }
    this.#values[this.length++] = value
  }

  get(index: number) {
    return this.#values[index]
  }

  toArray() {
    return this.#values.slice(0, this.length)
  }
}

let sockets: Socket[] = []
let disconnects = 0
/** What the current scenario does with a `message:new` received by local socket `index`. */
let onMessage: (index: number, message: StoredMessage, at: number) => void = () => {}

function describe(error: unknown) {
  if (error && typeof error === 'object' && 'errors' in error) {
    return JSON.stringify((error as Ack).errors)
  }
  return error instanceof Error ? error.message : String(error)
}

/*
 * The gateway's per-socket rate (SocketCommands: 30 commands a second
 * sustained): a sender faster than that is refused E_TOO_MANY_REQUESTS,
 * which small channels with fast acks (smoke sizes) would reach.
 */
const SOCKET_SEND_GAP_MS = 1000 / 30

async function sleepUntil(at: number) {
  const wait = at - clock()
  if (wait > 0) {
    await sleep(wait)
  }
}

function openSocket(url: string, host: string, token: string, timeoutMs: number) {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
    timeout: timeoutMs,
    extraHeaders: { host },
    auth: { token },
  })
  const index = sockets.length
  sockets.push(socket)
  socket.on('message:new', (message: StoredMessage) => onMessage(index, message, clock()))
  socket.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect') {
      disconnects++
    }
  })
  return socket
}

async function connect(job: ConnectJob): Promise<ConnectResult> {
  const started = clock()
  let connected = 0
  let failed = 0
  let firstError: string | undefined
  // Sockets get their index in the order of `peers`, whatever order they connect in.
  const opened = job.peers.map((peer) => openSocket(job.url, peer.host, peer.token, job.timeoutMs))
  await forEachConcurrently(opened, job.concurrency, async (socket) => {
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('connect_error', (error) => reject(error))
        socket.connect()
      })
      connected++
    } catch (error) {
      failed++
      firstError ??= describe(error)
      socket.close()
    }
  })
  return { connected, failed, firstError, ms: clock() - started }
}

async function join(job: JoinJob): Promise<JoinResult> {
  let joined = 0
  let failed = 0
  let firstError: string | undefined
  await forEachConcurrently(job.joins, job.concurrency, async ({ socket, channelId }) => {
    try {
      const ack = (await sockets[socket]
        .timeout(job.timeoutMs)
        .emitWithAck('channel:join', { channel_id: channelId })) as Ack
      if (!ack.ok) {
        throw ack
      }
      joined++
    } catch (error) {
      failed++
      firstError ??= describe(error)
    }
  })
  return { joined, failed, firstError }
}

/*
 * Fan-out: the sends of this process (open loop, on schedule), then
 * `collect` waits for the deliveries every other socket is owed.
 */
let fanout: {
  job: FanoutJob
  counts: Uint8Array
  latencies: Samples
  latencyK: Samples
  firstAt: Float64Array
  lastAt: Float64Array
  /** Local socket -> the messages it sent itself. */
  own: Map<number, Set<number>>
  lastSendAt: number
  lastReceiveAt: number
} | null = null

async function runFanout(job: FanoutJob): Promise<FanoutSent> {
  const state = {
    job,
    counts: new Uint8Array(sockets.length * job.count),
    latencies: new Samples(),
    latencyK: new Samples(),
    firstAt: new Float64Array(job.count).fill(Number.NaN),
    lastAt: new Float64Array(job.count).fill(Number.NaN),
    own: new Map<number, Set<number>>(),
    lastSendAt: 0,
    lastReceiveAt: 0,
  }
  fanout = state
  for (const { k, socket } of job.sends) {
    const set = state.own.get(socket) ?? new Set<number>()
    set.add(k)
    state.own.set(socket, set)
  }
  const prefix = `bench ${job.label} `
  onMessage = (index, message, at) => {
    if (!message.body.startsWith(prefix)) {
      return
    }
    const [, , kText, sentText] = message.body.split(' ')
    const k = Number(kText)
    const slot = index * job.count + k
    if (state.counts[slot] < 255) {
      state.counts[slot]++
    }
    if (state.counts[slot] === 1) {
      state.lastReceiveAt = at
      if (Number.isNaN(state.firstAt[k])) {
        state.firstAt[k] = at
      }
      state.lastAt[k] = at
      if (k >= job.warmupCount) {
        state.latencies.push(at - Number(sentText))
        state.latencyK.push(k)
      }
    }
  }

  const sent: FanoutSent = {
    k: new Int32Array(job.sends.length),
    ok: new Uint8Array(job.sends.length),
    ackMs: new Float64Array(job.sends.length).fill(Number.NaN),
    lateMs: new Float64Array(job.sends.length),
    sentAt: new Float64Array(job.sends.length),
  }
  const pending: Promise<void>[] = []
  for (const [i, { k, socket }] of job.sends.entries()) {
    const due = job.startAt + k * job.periodMs
    await sleepUntil(due)
    const sentAt = clock()
    sent.k[i] = k
    sent.lateMs[i] = sentAt - due
    sent.sentAt[i] = sentAt
    state.lastSendAt = sentAt
    pending.push(
      sockets[socket]
        .timeout(job.ackTimeoutMs)
        .emitWithAck('message:send', {
          channel_id: job.channelId,
          body: `bench ${job.label} ${k} ${sentAt.toFixed(3)}`,
          client_id: `${job.label}-${k}`,
        })
        .then((ack: Ack) => {
          if (!ack.ok) {
            throw ack
          }
          sent.ok[i] = 1
          sent.ackMs[i] = clock() - sentAt
        })
        .catch((error: unknown) => {
          sent.firstError ??= describe(error)
        })
    )
  }
  await Promise.all(pending)
  return sent
}

async function collect(job: CollectJob): Promise<FanoutReceipts> {
  const state = fanout
  if (!state) {
    throw new Error('collect without a fan-out phase')
  }
  const count = state.job.count
  const expected = new Uint8Array(count)
  for (const k of job.expected) {
    expected[k] = 1
  }
  const owes = (index: number, k: number) => expected[k] === 1 && !state.own.get(index)?.has(k)
  const complete = () => {
    for (const [index, socket] of sockets.entries()) {
      if (!socket.connected) {
        continue
      }
      for (let k = 0; k < count; k++) {
        if (state.counts[index * count + k] === 0 && owes(index, k)) {
          return false
        }
      }
    }
    return true
  }
  const deadline = clock() + job.timeoutMs
  while (!complete() && clock() < deadline) {
    await sleep(50)
  }
  onMessage = () => {}

  const receipts: FanoutReceipts = {
    latencies: state.latencies.toArray(),
    latencyK: Int32Array.from(state.latencyK.toArray()),
    firstAt: state.firstAt,
    lastAt: state.lastAt,
    received: 0,
    expected: 0,
    missing: 0,
    duplicates: 0,
    unexpected: 0,
    drainMs: Math.max(0, state.lastReceiveAt - state.lastSendAt),
  }
  for (let index = 0; index < sockets.length; index++) {
    for (let k = 0; k < count; k++) {
      const got = state.counts[index * count + k]
      receipts.received += got
      if (owes(index, k)) {
        receipts.expected++
        if (got === 0) {
          receipts.missing++
        }
        receipts.duplicates += Math.max(0, got - 1)
      } else {
        receipts.unexpected += got
      }
    }
  }
  fanout = null
  return receipts
}

/*
 * Throughput: in each channel its members take turns, one message in
 * flight, as fast as the server acknowledges. Every channel's sockets
 * live in this process, so the process checks each receiver's deliveries
 * against the channel's acknowledged seqs itself.
 */
async function runThroughput(job: ThroughputJob): Promise<ThroughputResult> {
  const windowStart = job.startAt + job.warmupMs
  const windowEnd = windowStart + job.durationMs
  const inWindow = (at: number) => at >= windowStart && at < windowEnd

  interface ChannelState {
    key: string
    channelId: number
    sockets: number[]
    /** seq -> sending socket, send time, ack time. */
    sender: Map<number, number>
    sentAt: Map<number, number>
    ackedAt: Map<number, number>
  }
  const channels: ChannelState[] = job.channels.map(({ key, channelId, sockets: members }) => ({
    key,
    channelId,
    sockets: members,
    sender: new Map(),
    sentAt: new Map(),
    ackedAt: new Map(),
  }))
  const channelOf = new Int32Array(sockets.length).fill(-1)
  channels.forEach((channel, index) => channel.sockets.forEach((s) => (channelOf[s] = index)))
  const received: number[][] = sockets.map(() => [])
  const lastSeq = new Float64Array(sockets.length)
  const deliverySent = new Samples()
  const deliveryAt = new Samples()
  let outOfOrder = 0
  let failed = 0
  let firstError: string | undefined

  const prefix = `bench ${job.label} `
  onMessage = (index, message, at) => {
    if (!message.body.startsWith(prefix)) {
      return
    }
    received[index].push(message.seq)
    if (message.seq < lastSeq[index]) {
      outOfOrder++
    }
    lastSeq[index] = Math.max(lastSeq[index], message.seq)
    deliverySent.push(Number(message.body.slice(message.body.lastIndexOf(' ') + 1)))
    deliveryAt.push(at)
  }

  await sleepUntil(job.startAt)
  /** When each socket may send next: the gateway allows 30 commands a second per socket. */
  const nextSendAt = new Map<number, number>()
  await Promise.all(
    channels.map(async (channel) => {
      for (let turn = 0; clock() < windowEnd; turn++) {
        const socket = channel.sockets[turn % channel.sockets.length]
        await sleepUntil(nextSendAt.get(socket) ?? 0)
        const sentAt = clock()
        nextSendAt.set(socket, sentAt + SOCKET_SEND_GAP_MS)
        try {
          const ack = (await sockets[socket].timeout(job.ackTimeoutMs).emitWithAck('message:send', {
            channel_id: channel.channelId,
            body: `bench ${job.label} ${channel.channelId} ${turn} ${sentAt.toFixed(3)}`,
            client_id: `${job.label}-${turn}`,
          })) as Ack
          const seq = ack.data?.message?.seq
          if (!ack.ok || typeof seq !== 'number') {
            throw ack
          }
          channel.sender.set(seq, socket)
          channel.sentAt.set(seq, sentAt)
          channel.ackedAt.set(seq, clock())
        } catch (error) {
          failed++
          firstError ??= describe(error)
          // A refused or lost send must not turn into a busy loop.
          await sleep(10)
        }
      }
    })
  )
  const sendsEndedAt = clock()

  /** Deliveries receiver `index` is owed: its channel's acked seqs it did not send. */
  const owed = (index: number) => {
    const channel = channels[channelOf[index]]
    let count = 0
    for (const sender of channel.sender.values()) {
      if (sender !== index) {
        count++
      }
    }
    return count
  }
  const receivers = channels.flatMap((channel) => channel.sockets)
  const owedCount = new Map(receivers.map((index) => [index, owed(index)]))
  const deadline = clock() + job.drainTimeoutMs
  let lastDeliveryAt = sendsEndedAt
  while (clock() < deadline) {
    const behind = receivers.some(
      (index) => sockets[index].connected && new Set(received[index]).size < owedCount.get(index)!
    )
    if (!behind) {
      break
    }
    await sleep(20)
  }
  if (deliveryAt.length > 0) {
    lastDeliveryAt = Math.max(sendsEndedAt, deliveryAt.get(deliveryAt.length - 1))
  }
  onMessage = () => {}

  const totals: ThroughputResult['totals'] = {
    acked: 0,
    failed,
    deliveries: 0,
    expectedDeliveries: 0,
    lost: 0,
    duplicates: 0,
    unexpected: 0,
    channelsWithGaps: 0,
    outOfOrder,
    drainMs: lastDeliveryAt - sendsEndedAt,
  }
  const ackMs = new Samples()
  let acked = 0
  let sentInWindow = 0
  let fullyDelivered = 0
  const perChannel: ThroughputResult['channels'] = []
  for (const channel of channels) {
    const seqs = [...channel.sender.keys()].sort((a, b) => a - b)
    const minSeq = seqs[0] ?? 0
    const maxSeq = seqs.at(-1) ?? 0
    if (seqs.length > 0 && maxSeq - minSeq + 1 !== seqs.length) {
      totals.channelsWithGaps++
    }
    perChannel.push({ key: channel.key, acked: seqs.length, minSeq, maxSeq })
    totals.acked += seqs.length
    const receipts = new Map<number, number>()
    for (const index of channel.sockets) {
      const distinct = new Set(received[index])
      totals.deliveries += received[index].length
      totals.duplicates += received[index].length - distinct.size
      for (const seq of distinct) {
        const sender = channel.sender.get(seq)
        if (sender === undefined || sender === index) {
          totals.unexpected++
        } else {
          receipts.set(seq, (receipts.get(seq) ?? 0) + 1)
        }
      }
      const owes = owedCount.get(index)!
      totals.expectedDeliveries += owes
      const got = [...distinct].filter((seq) => {
        const sender = channel.sender.get(seq)
        return sender !== undefined && sender !== index
      }).length
      totals.lost += owes - got
    }
    for (const seq of seqs) {
      if (inWindow(channel.ackedAt.get(seq)!)) {
        acked++
      }
      const sentAt = channel.sentAt.get(seq)!
      if (inWindow(sentAt)) {
        sentInWindow++
        ackMs.push(channel.ackedAt.get(seq)! - sentAt)
        if (receipts.get(seq) === channel.sockets.length - 1) {
          fullyDelivered++
        }
      }
    }
  }
  const deliveryMs = new Samples()
  let deliveriesInWindow = 0
  for (let i = 0; i < deliveryAt.length; i++) {
    if (inWindow(deliveryAt.get(i))) {
      deliveriesInWindow++
    }
    if (inWindow(deliverySent.get(i))) {
      deliveryMs.push(deliveryAt.get(i) - deliverySent.get(i))
    }
  }
  return {
    window: {
      acked,
      fullyDelivered,
      sent: sentInWindow,
      deliveries: deliveriesInWindow,
      ackMs: ackMs.toArray(),
      deliveryMs: deliveryMs.toArray(),
    },
    totals,
    channels: perChannel,
    firstError,
  }
}

/** Heartbeats of this process's connections, each at its own offset in the interval. */
async function runPresence(job: PresenceJob): Promise<PresenceResult> {
  const schedule: { at: number; socket: number }[] = []
  job.globalIndex.forEach((global, socket) => {
    const offset = (global / job.total) * job.intervalMs
    for (let n = 0; n < job.intervals; n++) {
      schedule.push({ at: job.startAt + offset + n * job.intervalMs, socket })
    }
  })
  schedule.sort((a, b) => a.at - b.at)
  const result: PresenceResult = { sent: 0, acked: 0, failed: 0, ackMs: new Float64Array() }
  const ackMs = new Samples()
  const pending: Promise<void>[] = []
  for (const { at, socket } of schedule) {
    await sleepUntil(at)
    const sentAt = clock()
    result.sent++
    pending.push(
      sockets[socket]
        .timeout(job.ackTimeoutMs)
        .emitWithAck('presence:heartbeat', { status: 'online' })
        .then((ack: Ack) => {
          if (!ack.ok) {
            throw ack
          }
          result.acked++
          ackMs.push(clock() - sentAt)
        })
        .catch((error: unknown) => {
          result.failed++
          result.firstError ??= describe(error)
        })
    )
  }
  await Promise.all(pending)
  result.ackMs = ackMs.toArray()
  return result
}

function closeAll() {
  onMessage = () => {}
  for (const socket of sockets) {
    socket.close()
  }
  const closed = sockets.length
  sockets = []
  disconnects = 0
  return { closed }
}

async function handle(envelope: Envelope): Promise<unknown> {
  const { request } = envelope
  switch (request.op) {
    case 'connect':
      return connect(request.job)
    case 'join':
      return join(request.job)
    case 'fanout':
      return runFanout(request.job)
    case 'collect':
      return collect(request.job)
    case 'throughput':
      return runThroughput(request.job)
    case 'presence':
      return runPresence(request.job)
    case 'close':
      return closeAll()
  }
}

process.on('message', (envelope: Envelope) => {
  handle(envelope).then(
    (result) => process.send!({ id: envelope.id, result, disconnects } satisfies Reply),
    (error: unknown) =>
      process.send!({ id: envelope.id, error: describe(error), disconnects } satisfies Reply)
  )
})
// The bench process went away (it ended, or was killed): so does this one.
process.on('disconnect', () => {
  closeAll()
  process.exit(0)
})
process.send!({ ready: true })
