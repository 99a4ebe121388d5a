/*
 * The two servers bench/realtime.ts measures, each a process of its own
 * on the loopback interface:
 *   tandem  a real node, `bin/server.ts` as `npm start` runs it (spawned
 *           like tests/helpers/nodes.ts), on the bench's database and Redis;
 *   bare    bare_server.ts, Socket.IO alone (the baseline).
 * Both are started with the probe preloaded (probe.ts: V8 heap and event
 * loop figures on request) and --expose-gc; CPU and RSS are read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { LoopReply, MemoryReply, ProbeRequest } from './probe.js'
import { rssBytes } from './proc.js'

export type ServerKind = 'tandem' | 'bare'

export interface Memory {
  /** VmRSS from /proc, bytes, after a full garbage collection. */
  rss: number
  /** V8 heap in use after that collection, bytes. */
  heapUsed: number
}

export interface ServerUnderTest {
  kind: ServerKind
  pid: number
  port: number
  url: string
  bootMs: number
  /** Collects garbage in the server, then reads its heap (IPC) and RSS (/proc). */
  memory(): Promise<Memory>
  /** Event loop utilization so far and delay since the last call (IPC). */
  loop(): Promise<LoopReply>
  /** What the process printed (warnings and errors at LOG_LEVEL=warn). */
  output(): string
  stop(): Promise<void>
}

const ROOT = new URL('../../', import.meta.url)
const PROBE = new URL('./probe.ts', import.meta.url).href
const BARE = fileURLToPath(new URL('./bare_server.ts', import.meta.url))
const BOOT_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000
const OUTPUT_LIMIT = 64 * 1024

export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

export interface TandemOptions {
  port: number
  databaseUrl: string
  redisUrl: string
  redisPrefix: string
  appKey: string
  presenceIntervalMs: number
  presenceTtlMs?: number
  /** Directory for a V8 CPU profile of the node's whole life (--cpu-prof), if wanted. */
  cpuProfileDir?: string
}

export function startTandem(options: TandemOptions) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    APP_KEY: options.appKey,
    APP_DOMAIN: process.env.APP_DOMAIN ?? 'localhost',
    SEED_DEMO: 'false',
    EMBEDDED_DATABASE: 'false',
    PRESENCE_INTERVAL_MS: String(options.presenceIntervalMs),
    HOST: '127.0.0.1',
    PORT: String(options.port),
  }
  delete env.PRESENCE_TTL_MS
  if (options.presenceTtlMs !== undefined) {
    env.PRESENCE_TTL_MS = String(options.presenceTtlMs)
  }
  return launch('tandem', options.port, [...profiling(options.cpuProfileDir), 'bin/server.ts'], env)
}

export function startBare(port: number, cpuProfileDir?: string) {
  return launch('bare', port, [...profiling(cpuProfileDir), BARE], {
    ...process.env,
    PORT: String(port),
  })
}

/** Node flags writing a V8 CPU profile of the whole process when it exits. */
function profiling(directory?: string) {
  if (!directory) {
    return []
  }
  mkdirSync(directory, { recursive: true })
  return ['--cpu-prof', `--cpu-prof-dir=${directory}`]
}

async function launch(
  kind: ServerKind,
  port: number,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<ServerUnderTest> {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import=@poppinss/ts-exec', `--import=${PROBE}`, ...args],
    { cwd: fileURLToPath(ROOT), env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }
  )
  let output = ''
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT)
  }
  child.stdout!.setEncoding('utf8').on('data', keep)
  child.stderr!.setEncoding('utf8').on('data', keep)
  const exited = once(child, 'exit')
  const url = `http://127.0.0.1:${port}`

  let nextProbe = 0
  const ask = <Reply extends { probe: number }>(request: Omit<ProbeRequest, 'probe'>) => {
    const probe = nextProbe++
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind}: no probe reply`)), 10_000)
      const listen = (message: unknown) => {
        if (message && typeof message === 'object' && (message as Reply).probe === probe) {
          clearTimeout(timer)
          child.off('message', listen)
          resolve(message as Reply)
        }
      }
      child.on('message', listen)
    })
    child.send({ ...request, probe } satisfies ProbeRequest)
    return reply
  }
  const memory = async (): Promise<Memory> => {
    const heap = await ask<MemoryReply>({ kind: 'memory' })
    return { rss: rssBytes(child.pid!), heapUsed: heap.heapUsed }
  }

  const server: ServerUnderTest = {
    kind,
    pid: child.pid!,
    port,
    url,
    bootMs: 0,
    memory,
    loop: () => ask<LoopReply>({ kind: 'loop' }),
    output: () => output,
    stop: () => stop(child, exited),
  }

  const deadline = Date.now() + BOOT_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`${kind} server exited during boot:\n${output}`)
    }
    const healthy = await fetch(`${url}/health/live`)
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) {
      server.bootMs = performance.now() - started
      return server
    }
    if (Date.now() > deadline) {
      await stop(child, exited)
      throw new Error(`${kind} server did not become healthy:\n${output}`)
    }
    await sleep(100)
  }
}

/** SIGTERM (a graceful stop: Tandem leaves presence, closes pools), SIGKILL if stuck. */
async function stop(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return
  }
  if (child.connected) {
    child.disconnect()
  }
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}
