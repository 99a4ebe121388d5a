/*
 * The client processes of bench/realtime.ts (client_worker.ts), seen from
 * the bench process: each holds a share of the sockets; requests go to
 * each over IPC and the answers come back in order.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Envelope, Reply, Request } from './protocol.js'

const WORKER = new URL(`./client_worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url)

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

export class ClientProcess {
  #nextId = 0
  #pending = new Map<number, Pending>()
  #exited: Promise<unknown>
  /** Sockets the server closed since the last `close`, as of the last reply. */
  disconnects = 0

  constructor(
    readonly index: number,
    readonly child: ChildProcess
  ) {
    this.#exited = once(child, 'exit')
    child.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id)
      if (!pending) {
        return
      }
      this.#pending.delete(reply.id)
      this.disconnects = reply.disconnects
      if (reply.error !== undefined) {
        pending.reject(new Error(`client process ${index}: ${reply.error}`))
      } else {
        pending.resolve(reply.result)
      }
    })
    child.once('exit', (code, signal) => {
      for (const pending of this.#pending.values()) {
        pending.reject(new Error(`client process ${index} exited (${code ?? signal})`))
      }
      this.#pending.clear()
    })
  }

  get pid() {
    return this.child.pid!
  }

  call<T>(request: Request): Promise<T> {
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.child.send({ id, request } satisfies Envelope)
    })
  }

  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.disconnect()
      await this.#exited
    }
  }
}

export class ClientPool {
  constructor(readonly processes: ClientProcess[]) {}

  static async start(count: number): Promise<ClientPool> {
    const processes = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const child = fork(WORKER, {
          execArgv: ['--import=@poppinss/ts-exec'],
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        })
        await new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve())
          child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)))
        })
        return new ClientProcess(index, child)
      })
    )
    return new ClientPool(processes)
  }

  get size() {
    return this.processes.length
  }

  get pids() {
    return this.processes.map((process) => process.pid)
  }

  /**
   * One request per process (built from its index), all at once. Callers
   * may await the answer later (a scenario measures meanwhile): a failure
   * before then (a client process killed by Ctrl-C) must not end the run
   * as an unhandled rejection, before it has cleaned up.
   */
  each<T>(request: (index: number) => Request): Promise<T[]> {
    const answers = Promise.all(
      this.processes.map((process) => process.call<T>(request(process.index)))
    )
    answers.catch(() => {})
    return answers
  }

  /** Sockets the server closed, all processes together, as of their last replies. */
  get disconnects() {
    return this.processes.reduce((sum, process) => sum + process.disconnects, 0)
  }

  async close() {
    await this.each(() => ({ op: 'close' }))
  }

  async stop() {
    await Promise.all(this.processes.map((process) => process.stop()))
  }
}
