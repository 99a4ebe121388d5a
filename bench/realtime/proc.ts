/*
 * A process seen from outside through /proc (Linux): CPU time and
 * resident memory, for the servers and the client processes alike.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

let ticksPerSecond: number | undefined

function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** User + system CPU time of the process (all its threads), ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1000) / clockTicks()
}

/** Resident set size (VmRSS), bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]
  const values = line.trim().split(/\s+/).slice(1).map(Number)
  const total = values.reduce((sum, value) => sum + value, 0)
  // idle and iowait are the 4th and 5th values.
  return { busy: total - values[3] - values[4], total }
}

/** How busy the whole machine is over `ms` (100 % per core), before the run adds load. */
export async function machineBusy(ms: number) {
  const before = machineTicks()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = machineTicks()
  const cores = availableParallelism()
  return ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * cores * 100
}

/** CPU time of every process now, ms, with its command name. */
function allProcesses() {
  const processes = new Map<number, { comm: string; cpu: number }>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) {
      continue
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      processes.set(pid, { comm, cpu: cpuMs(pid) })
    } catch {
      // It ended meanwhile.
    }
  }
  return processes
}

export interface MachineShare {
  /** The whole machine's busy time, % of one core (100 % per core). */
  busy: number
  cores: number
  /** Per group of processes, % of one core. */
  groups: Record<string, number>
}

/**
 * Where the machine's CPU went over a window: the named processes, the
 * PostgreSQL and Redis servers (by command name), and everything else,
 * including processes that are no part of the run.
 */
export class MachineMeter {
  #startedAt = 0
  #ticks = machineTicks()
  #processes = new Map<number, { comm: string; cpu: number }>()

  constructor(readonly named: Record<string, number[]>) {}

  start() {
    this.#startedAt = performance.now()
    this.#ticks = machineTicks()
    this.#processes = allProcesses()
    return this
  }

  read(): MachineShare {
    const elapsed = performance.now() - this.#startedAt
    const ticks = machineTicks()
    const cores = ((ticks.total - this.#ticks.total) * 1000) / clockTicks() / elapsed
    const busyMs = ((ticks.busy - this.#ticks.busy) * 1000) / clockTicks()
    const groupOf = new Map<number, string>()
    for (const [group, pids] of Object.entries(this.named)) {
      pids.forEach((pid) => groupOf.set(pid, group))
    }
    const groups: Record<string, number> = Object.fromEntries(
      [...Object.keys(this.named), 'PostgreSQL', 'Redis'].map((group) => [group, 0])
    )
    let accounted = 0
    for (const [pid, now] of allProcesses()) {
      const before = this.#processes.get(pid)
      const used = now.cpu - (before && before.comm === now.comm ? before.cpu : 0)
      const group =
        groupOf.get(pid) ??
        (now.comm === 'postgres'
          ? 'PostgreSQL'
          : now.comm.startsWith('redis-server')
            ? 'Redis'
            : undefined)
      if (group) {
        groups[group] += (used / elapsed) * 100
        accounted += used
      }
    }
    groups.other = Math.max(0, ((busyMs - accounted) / elapsed) * 100)
    return { busy: (busyMs / elapsed) * 100, cores: Math.round(cores), groups }
  }
}
