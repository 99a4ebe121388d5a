/*
 * Redis for bench/realtime.ts and what it counts there.
 *
 * INFO commandstats counts every command the Redis server ran, for every
 * client and database. To count only Tandem's, the bench starts a Redis
 * server of its own (redis-server from PATH, on a free loopback port, no
 * persistence) that nothing else uses. BENCH_REDIS_URL (or no redis-server
 * on PATH: REDIS_URL, else 127.0.0.1:6379) uses an existing server instead;
 * its counts then include other clients, and the report says so.
 *
 * Which command is whose comes from MONITOR: keys and channels carry the
 * run's REDIS_PREFIX and the module's part (`presence:`, `bull:`,
 * `socket.io`, `transmit`); commands a Lua script runs show up right after
 * the EVALSHA that ran it (scripts run atomically), as source "lua".
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freePort } from './servers.js'

export interface BenchRedis {
  url: string
  /** A server of the bench's own, which nothing else uses. */
  private: boolean
  commandStats(): Promise<Map<string, number>>
  monitor(prefix: string): Promise<CommandLog>
  stop(): Promise<void>
}

export type Category = 'presence' | 'events (bull)' | 'socket.io adapter' | 'transmit' | 'other'

export interface CategoryCount {
  /** Commands clients sent. */
  sent: number
  /** Commands Lua scripts of those ran inside Redis. */
  inScripts: number
}

export interface CommandLog {
  counts(): Map<Category, CategoryCount>
  stop(): Promise<void>
}

/** Commands the bench itself sends to read the counts: not Tandem's. */
const OWN_COMMANDS = new Set(['info', 'monitor', 'ping', 'client|setinfo', 'hello', 'select'])

export function totalCommands(before: Map<string, number>, after: Map<string, number>) {
  let total = 0
  for (const [command, calls] of after) {
    if (!OWN_COMMANDS.has(command)) {
      total += calls - (before.get(command) ?? 0)
    }
  }
  return total
}

/** Per-command deltas, largest first, for the notes. */
export function commandDeltas(before: Map<string, number>, after: Map<string, number>) {
  return [...after]
    .filter(([command]) => !OWN_COMMANDS.has(command))
    .map(([command, calls]) => [command, calls - (before.get(command) ?? 0)] as const)
    .filter(([, delta]) => delta > 0)
    .sort((a, b) => b[1] - a[1])
}

function redisServerOnPath() {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

export async function startRedis(): Promise<BenchRedis> {
  const external = process.env.BENCH_REDIS_URL
  if (external || !redisServerOnPath()) {
    return connectTo(external || process.env.REDIS_URL || 'redis://127.0.0.1:6379/0', null)
  }
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' }
  )
  const url = `redis://127.0.0.1:${port}/0`
  for (let attempt = 0; ; attempt++) {
    // A fresh client per attempt: a failed ioredis connection keeps retrying by itself.
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      break
    } catch (error) {
      if (attempt > 50 || child.exitCode !== null) {
        child.kill()
        throw new Error(`redis-server did not start on port ${port}: ${error}`)
      }
      await sleep(100)
    } finally {
      probe.disconnect()
    }
  }
  return connectTo(url, child)
}

async function connectTo(url: string, child: ChildProcess | null): Promise<BenchRedis> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  // A failure shows as the error of the command that needed Redis.
  client.on('error', () => {})
  await client.ping()
  return {
    url,
    private: child !== null,
    async commandStats() {
      const info = await client.info('commandstats')
      const stats = new Map<string, number>()
      for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        stats.set(match[1], Number(match[2]))
      }
      return stats
    },
    monitor: (prefix) => monitor(client, prefix),
    async stop() {
      client.disconnect()
      if (child && child.exitCode === null) {
        child.kill('SIGTERM')
        await once(child, 'exit')
      }
    },
  }
}

async function monitor(client: Redis, prefix: string): Promise<CommandLog> {
  const monitoring = await client.monitor()
  monitoring.on('error', () => {})
  const counts = new Map<Category, CategoryCount>()
  const categoryOf = (args: string[]): Category => {
    for (const arg of args) {
      if (!arg.startsWith(prefix)) {
        continue
      }
      const rest = arg.slice(prefix.length + 1)
      if (rest.startsWith('presence:')) return 'presence'
      if (rest.startsWith('bull:')) return 'events (bull)'
      if (rest.startsWith('socket.io')) return 'socket.io adapter'
      if (rest.startsWith('transmit')) return 'transmit'
    }
    return 'other'
  }
  let current: Category = 'other'
  monitoring.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') {
      counts.get(current)!.inScripts++
      return
    }
    if (OWN_COMMANDS.has(String(args[0]).toLowerCase())) {
      current = 'other'
      counts.set(current, counts.get(current) ?? { sent: 0, inScripts: 0 })
      return
    }
    current = categoryOf(args)
    const count = counts.get(current) ?? { sent: 0, inScripts: 0 }
    count.sent++
    counts.set(current, count)
  })
  return {
    counts: () => counts,
    async stop() {
      monitoring.disconnect()
    },
  }
}
