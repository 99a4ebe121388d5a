import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ApplicationService } from '@adonisjs/core/types'
import { ignite } from '../../bin/ignite.js'
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './database.js'

export interface BenchApp {
  app: ApplicationService
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string
  /** Resolves once requests still being served have finished. */
  drain(): Promise<void>
  /** Throws once the app is shutting down (e.g. Ctrl-C): ends the run early. */
  ensureRunning(): void
  stop(): Promise<void>
}

export interface StartOptions {
  databaseUrl: string
  /**
   * Runs in the app's "starting" hook: after providers boot, before the
   * preloads and before the router is committed, so bench-only routes can
   * be added without touching start/routes.ts.
   */
  registerRoutes?: () => Promise<void>
}

/**
 * Environment of a benchmark run: production-like logging (warnings
 * only, no pretty-printer), no demo tenant, and an ephemeral port on
 * the loopback interface.
 */
function prepareEnvironment(databaseUrl: string) {
  process.env.DATABASE_URL = databaseUrl
  process.env.HOST = '127.0.0.1'
  process.env.PORT = '0'
  process.env.SEED_DEMO = 'false'
  process.env.NODE_ENV ??= 'production'
  process.env.LOG_LEVEL ??= 'warn'
  process.env.APP_KEY ??= randomBytes(32).toString('base64url')
  process.env.APP_DOMAIN ??= 'localhost'
}

/**
 * The app's own HTTP entry point (bin/server.ts), in this process: the
 * same boot sequence (bin/ignite.ts), providers, preloads
 * (start/database.ts applies central migrations) and middleware stack a
 * real server runs. DATABASE_URL is set, so no embedded PostgreSQL starts.
 */
export async function startApp(options: StartOptions): Promise<BenchApp> {
  prepareEnvironment(options.databaseUrl)

  const ignitor = await ignite('tandem')
  const registerRoutes = options.registerRoutes
  if (registerRoutes) {
    ignitor.tap((app) => app.starting(registerRoutes))
  }
  // bin/ignite.ts terminates the app on SIGINT/SIGTERM; the run stops too.
  let terminating = false
  ignitor.tap((app) =>
    app.terminating(() => {
      terminating = true
    })
  )

  let nodeServer: Server | undefined
  try {
    await ignitor.httpServer().start((handler) => {
      nodeServer = createServer(handler)
      return nodeServer
    })
  } catch (error) {
    // Close whatever did start (pool, listener), so the process can end.
    await ignitor.getApp()?.terminate()
    throw error
  }

  const app = ignitor.getApp()
  if (!app || !nodeServer) {
    throw new Error('The application did not start')
  }
  const { port } = nodeServer.address() as AddressInfo
  const drain = async () => {
    const { waitForIdlePool } = await import('./pool.js')
    await waitForIdlePool()
  }
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    drain,
    ensureRunning() {
      if (terminating) {
        throw new Error('The app is shutting down: benchmark aborted')
      }
    },
    async stop() {
      await drain()
      await app.terminate()
    },
  }
}

/** Host header that routes a request to a tenant (<slug>.<APP_DOMAIN>). */
export function tenantHost(slug: string) {
  return `${slug}.${process.env.APP_DOMAIN ?? 'localhost'}`
}

/**
 * Runs `work` against the app booted on a fresh database of its own,
 * then stops the app and drops the database, whatever happened.
 */
export async function withBenchApp<T>(
  database: string,
  options: Omit<StartOptions, 'databaseUrl'>,
  work: (bench: BenchApp, databaseUrl: string) => Promise<T>
): Promise<T> {
  const databaseUrl = benchDatabaseUrl(database)
  await recreateDatabase(databaseUrl)
  let bench: BenchApp | undefined
  try {
    bench = await startApp({ ...options, databaseUrl })
    return await work(bench, databaseUrl)
  } finally {
    await bench?.stop()
    await dropDatabase(databaseUrl)
  }
}
