/*
 * What bench/realtime.ts and its client processes (client_worker.ts) say
 * to each other over IPC ('advanced' serialization: typed arrays travel
 * as such). No app code: the client processes load only socket.io-client.
 */

/**
 * Milliseconds on CLOCK_MONOTONIC, the same clock in every process of the
 * machine: a send time taken in one client process and a receive time
 * taken in another can be subtracted.
 */
export function clock(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

/** One socket to open: the tenant host (Host header) and the access token. */
export interface Peer {
  host: string
  token: string
}

export interface ConnectJob {
  url: string
  peers: Peer[]
  /** Handshakes in flight at once in this process. */
  concurrency: number
  timeoutMs: number
}

export interface ConnectResult {
  connected: number
  failed: number
  firstError?: string
  ms: number
}

export interface JoinJob {
  /** Socket index in this process -> channel id. */
  joins: { socket: number; channelId: number }[]
  concurrency: number
  timeoutMs: number
}

export interface JoinResult {
  joined: number
  failed: number
  firstError?: string
}

/** Fan-out: message k goes out at startAt + k * periodMs, open loop. */
export interface FanoutJob {
  label: string
  channelId: number
  startAt: number
  periodMs: number
  /** Messages of the phase, all processes together (k = 0 .. count - 1). */
  count: number
  /** Messages k < warmupCount are sent but their deliveries not timed. */
  warmupCount: number
  /** The sends of this process: message k from local socket `socket`. */
  sends: { k: number; socket: number }[]
  ackTimeoutMs: number
}

export interface FanoutSent {
  /** Per send of this process, in the order of `sends`. */
  k: Int32Array
  ok: Uint8Array
  /** Ack time - send time, ms (NaN when it failed). */
  ackMs: Float64Array
  /** How late the send went out against its schedule, ms. */
  lateMs: Float64Array
  /** When it went out (clock()). */
  sentAt: Float64Array
  firstError?: string
}

export interface CollectJob {
  /** Messages acknowledged as stored: every other socket of the channel must get them. */
  expected: number[]
  timeoutMs: number
}

export interface FanoutReceipts {
  /** Send -> receive, ms, one per delivery of a timed message. */
  latencies: Float64Array
  /** The message (k) of each latency. */
  latencyK: Int32Array
  /** Per message k: first and last delivery to a socket of this process (clock(); NaN: none). */
  firstAt: Float64Array
  lastAt: Float64Array
  received: number
  expected: number
  missing: number
  duplicates: number
  /** Deliveries of messages nobody acknowledged, or to their own sender. */
  unexpected: number
  /** Wait after the last send until the last expected delivery (or the timeout). */
  drainMs: number
}

export interface ThroughputJob {
  label: string
  startAt: number
  warmupMs: number
  durationMs: number
  /** Each channel's sockets take turns: one message in flight per channel. */
  channels: { key: string; channelId: number; sockets: number[] }[]
  ackTimeoutMs: number
  drainTimeoutMs: number
}

export interface ThroughputResult {
  /** In the steady window [startAt + warmupMs, + durationMs]. */
  window: {
    /** Acknowledged (stored) messages whose ack arrived in the window. */
    acked: number
    /** Messages sent in the window, acknowledged, received by every other member. */
    fullyDelivered: number
    /** Messages sent in the window and acknowledged. */
    sent: number
    /** message:new events received in the window. */
    deliveries: number
    /** Of messages sent in the window. */
    ackMs: Float64Array
    /** Of deliveries of messages sent in the window. */
    deliveryMs: Float64Array
  }
  /** Over the whole phase, warm-up and drain included. */
  totals: {
    acked: number
    failed: number
    deliveries: number
    expectedDeliveries: number
    lost: number
    duplicates: number
    unexpected: number
    /** Channels whose acknowledged seqs are not one contiguous run. */
    channelsWithGaps: number
    /** Deliveries that arrived after a later seq of the same channel. */
    outOfOrder: number
    drainMs: number
  }
  /** Per channel: messages acknowledged and the highest seq, for the database check. */
  channels: { key: string; acked: number; minSeq: number; maxSeq: number }[]
  firstError?: string
}

export interface PresenceJob {
  startAt: number
  intervalMs: number
  intervals: number
  /** All connections of the phase, every process together. */
  total: number
  /** Local socket i is connection number globalIndex[i]: it heartbeats at offset index / total. */
  globalIndex: number[]
  ackTimeoutMs: number
}

export interface PresenceResult {
  sent: number
  acked: number
  failed: number
  ackMs: Float64Array
  firstError?: string
}

export type Request =
  | { op: 'connect'; job: ConnectJob }
  | { op: 'join'; job: JoinJob }
  | { op: 'fanout'; job: FanoutJob }
  | { op: 'collect'; job: CollectJob }
  | { op: 'throughput'; job: ThroughputJob }
  | { op: 'presence'; job: PresenceJob }
  | { op: 'close' }

export interface Envelope {
  id: number
  request: Request
}

export interface Reply {
  id: number
  result?: unknown
  error?: string
  /** Sockets of this process the server closed since the last `close`. */
  disconnects: number
}
