/*
 * Sizes and options of bench/realtime.ts: `--name=N` flags, else the
 * BENCH_* variable, else the full-size default (or the smoke size with
 * --smoke / BENCH_SMOKE=1), as bench/support/runner.ts reads them, plus
 * a few string options to run part of the bench while investigating.
 */
import { parseArgs } from 'node:util'

export const SCENARIOS = ['presence', 'fanout', 'throughput'] as const
export const SERVERS = ['tandem', 'bare'] as const
export type Scenario = (typeof SCENARIOS)[number]
export type ServerName = (typeof SERVERS)[number]

export interface Settings {
  smoke: boolean
  clientProcesses: number
  /** Handshakes in flight at once, all client processes together. */
  connectBatch: number
  warmupMs: number
  fanout: { clients: number; rate: number; durationMs: number; senders: number }
  throughput: { channels: number; size: number; durationMs: number; tenants: number }
  presence: { connections: number; intervalMs: number; intervals: number; ttlMs?: number }
  scenarios: Scenario[]
  servers: ServerName[]
  /** --cpu-prof: write V8 CPU profiles of both servers under this directory (in tmp/). */
  cpuProfileDir?: string
  /** Members of tenant "rt": enough for one socket each in fan-out and throughput. */
  members: number
}

const INT_FLAGS = {
  'client-processes': ['BENCH_CLIENT_PROCESSES', 2, 2],
  'connect-batch': ['BENCH_CONNECT_BATCH', 200, 50],
  'warmup': ['BENCH_WARMUP', 3, 1],
  'fanout-clients': ['BENCH_FANOUT_CLIENTS', 1000, 20],
  'fanout-rate': ['BENCH_FANOUT_RATE', 20, 20],
  'fanout-duration': ['BENCH_FANOUT_DURATION', 20, 2],
  'fanout-senders': ['BENCH_FANOUT_SENDERS', 10, 2],
  'channels': ['BENCH_CHANNELS', 100, 2],
  'channel-size': ['BENCH_CHANNEL_SIZE', 10, 3],
  'throughput-duration': ['BENCH_THROUGHPUT_DURATION', 15, 2],
  'throughput-tenants': ['BENCH_THROUGHPUT_TENANTS', 1, 1],
  'presence-connections': ['BENCH_PRESENCE_CONNECTIONS', 5000, 100],
  'presence-interval-ms': ['BENCH_PRESENCE_INTERVAL_MS', 20_000, 1000],
  'presence-intervals': ['BENCH_PRESENCE_INTERVALS', 3, 3],
} as const satisfies Record<string, readonly [string, number, number]>

type IntFlag = keyof typeof INT_FLAGS

function list<T extends string>(value: string | undefined, allowed: readonly T[], name: string) {
  if (value === undefined || value === '') {
    return [...allowed]
  }
  const items = value.split(',').map((item) => item.trim())
  for (const item of items) {
    if (!allowed.includes(item as T)) {
      throw new Error(`--${name}: unknown "${item}" (one or more of ${allowed.join(', ')})`)
    }
  }
  return allowed.filter((item) => items.includes(item))
}

export function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      'smoke': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'scenarios': { type: 'string' },
      'servers': { type: 'string' },
      ...Object.fromEntries(
        Object.keys(INT_FLAGS).map((name) => [name, { type: 'string' as const }])
      ),
    },
  })
  const raw = values as Record<string, string | boolean | undefined>
  const smoke = raw.smoke === true || process.env.BENCH_SMOKE === '1'
  const int = (name: IntFlag) => {
    const [envName, full, small] = INT_FLAGS[name]
    const value = raw[name] ?? process.env[envName]
    if (value === undefined || value === '') {
      return smoke ? small : full
    }
    const parsed = Number(value)
    if (!Number.isInteger(parsed) || parsed <= 0) {
      throw new Error(`--${name} / ${envName} must be a positive integer (got "${value}")`)
    }
    return parsed
  }

  const fanout = {
    clients: int('fanout-clients'),
    rate: int('fanout-rate'),
    durationMs: int('fanout-duration') * 1000,
    senders: int('fanout-senders'),
  }
  const throughput = {
    channels: int('channels'),
    size: int('channel-size'),
    durationMs: int('throughput-duration') * 1000,
    tenants: int('throughput-tenants'),
  }
  const intervalMs = int('presence-interval-ms')
  if (fanout.senders > fanout.clients || throughput.size < 2) {
    throw new Error('--fanout-senders must not exceed --fanout-clients; --channel-size >= 2')
  }
  return {
    smoke,
    clientProcesses: int('client-processes'),
    connectBatch: int('connect-batch'),
    warmupMs: int('warmup') * 1000,
    fanout,
    throughput,
    presence: {
      connections: int('presence-connections'),
      intervalMs,
      intervals: int('presence-intervals'),
      // Short smoke intervals: a connection between its handshake and
      // its first heartbeat must not be swept as silent.
      ttlMs: smoke ? Math.max(3 * intervalMs, 10_000) : undefined,
    },
    scenarios: list(raw.scenarios as string | undefined, SCENARIOS, 'scenarios'),
    servers: list(raw.servers as string | undefined, SERVERS, 'servers'),
    cpuProfileDir: raw['cpu-prof'] === true ? 'tmp/realtime-cpu-profiles' : undefined,
    members: Math.max(fanout.clients, throughput.channels * throughput.size),
  }
}
