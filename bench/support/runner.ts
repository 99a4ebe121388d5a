import os from 'node:os'
import { parseArgs } from 'node:util'
import { verdict } from './report.js'

export interface BenchFlags {
  /** Tiny sizes, for CI: proves the benchmark runs, not the targets. */
  smoke: boolean
  /** Integer flag `--name=N`, else env `envName`, else `fallback`. */
  int(name: string, envName: string, fallback: number): number
}

/**
 * Reads `--smoke` (or BENCH_SMOKE=1) and the given integer flags
 * (`npm run bench:x -- --tenants=200`). Unknown flags are an error.
 */
export function readFlags(intFlags: string[]): BenchFlags {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      ...Object.fromEntries(intFlags.map((name) => [name, { type: 'string' as const }])),
    },
  })
  const raw = values as Record<string, string | boolean | undefined>
  return {
    smoke: raw.smoke === true || process.env.BENCH_SMOKE === '1',
    int(name, envName, fallback) {
      const value = raw[name] ?? process.env[envName]
      if (value === undefined || value === '') {
        return fallback
      }
      const parsed = Number(value)
      if (!Number.isInteger(parsed) || parsed <= 0) {
        throw new Error(`--${name} / ${envName} must be a positive integer (got "${value}")`)
      }
      return parsed
    },
  }
}

/*
 * Taken when the script starts, before it adds load of its own: other
 * work on the machine skews every figure, so the report shows it.
 */
const loadBeforeRun = os.loadavg()[0]

/** What produced the numbers: printed with every report. */
export function machineFacts() {
  const cpus = os.cpus()
  return {
    'Node.js': process.version,
    'CPUs (nproc)': os.availableParallelism(),
    'CPU model': cpus[0]?.model.trim() ?? 'unknown',
    'Memory': `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    '1-min load average before the run': loadBeforeRun.toFixed(2),
  }
}

/**
 * Results a benchmark checks. `correctness` failures (errors, wrong
 * answers, a broken invariant) always fail the run; missed timing targets
 * fail it only at full size, since smoke-sized timings mean nothing.
 */
export class Checks {
  #failed: string[] = []

  constructor(protected smoke: boolean) {}

  correctness(name: string, pass: boolean) {
    if (!pass) {
      this.#failed.push(name)
    }
    return pass
  }

  /** Records a timing target; returns the verdict to print. */
  target(name: string, pass: boolean): string {
    if (pass) {
      return verdict(true)
    }
    if (this.smoke) {
      return `${verdict(false)} (not enforced in smoke mode)`
    }
    this.#failed.push(name)
    return verdict(false)
  }

  get failed(): readonly string[] {
    return this.#failed
  }
}

/**
 * Runs a benchmark so that it always ends by itself: an uncaught error
 * sets a failing exit code, and a watchdog stops a run that hangs (a
 * stuck connection would otherwise keep the process alive forever).
 */
export async function runBench(deadlineMs: number, main: () => Promise<Checks>) {
  const watchdog = setTimeout(() => {
    console.error(`Benchmark did not finish within ${deadlineMs / 1000} s: aborting`)
    process.exit(2)
  }, deadlineMs)
  watchdog.unref()

  try {
    const checks = await main()
    if (checks.failed.length > 0) {
      console.error(`\nFailed: ${checks.failed.join('; ')}`)
      process.exitCode = 1
    }
  } catch (error) {
    console.error(error)
    process.exitCode = 1
  }

  // Normally nothing is left open and the process ends now. If a failure
  // left a handle behind (a socket, a timer), end it anyway.
  setTimeout(() => {
    console.error('Handles were left open after the benchmark: exiting')
    process.exit(process.exitCode ?? 1)
  }, 10_000).unref()
}
