import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'

export interface AppNode {
  port: number
  process: ChildProcess
  /** Output so far, for failure messages. */
  output(): string
  /** Ends the process abruptly, as a crash would (no graceful shutdown). */
  kill(): Promise<void>
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>
}

const BOOT_TIMEOUT_MS = 30_000

/**
 * Starts another application node (`bin/server.ts`, as `npm start` runs
 * it) on `port`, against the database and Redis this test process uses,
 * and waits until it answers /health/live.
 */
export async function startNode(port: number, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: app.makePath(),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      SEED_DEMO: 'false',
      LOG_LEVEL: process.env.NODE_LOG_LEVEL ?? 'error',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = once(child, 'exit')

  const node: AppNode = {
    port,
    process: child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL')
        await exited
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await exited
      }
    },
  }

  const deadline = Date.now() + BOOT_TIMEOUT_MS
  while (true) {
    if (child.exitCode !== null) {
      throw new Error(`node on port ${port} exited during boot:\n${output}`)
    }
    const healthy = await fetch(`http://127.0.0.1:${port}/health/live`)
      .then((response) => response.ok)
      .catch(() => false)
    if (healthy) {
      return node
    }
    if (Date.now() > deadline) {
      await node.kill()
      throw new Error(`node on port ${port} did not become healthy:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
