import { spawn } from 'node:child_process'
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

export interface CliResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** stdout then stderr, without colors. */
  output: string
}

const CLI_TIMEOUT_MS = 30_000

/**
 * Runs `node ace <args>` in a child process, the way an operator does,
 * against the database the test process uses (DATABASE_URL and APP_KEY
 * are inherited; NODE_ENV=test loads .env.test).
 */
export function runAce(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startAce(args, CLI_TIMEOUT_MS, env).result
}

/**
 * Starts `node ace <args>` and hands back the process, for commands that
 * run until stopped; `result` settles when it exits.
 */
export function startAce(
  args: string[],
  timeoutMs = CLI_TIMEOUT_MS,
  env: Record<string, string> = {}
) {
  const child = spawn(process.execPath, ['ace.js', ...args], {
    cwd: app.makePath(),
    env: { ...process.env, ...env, NODE_ENV: 'test', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const result = new Promise<CliResult>((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      if (signal) {
        reject(new Error(`ace ${args.join(' ')} killed by ${signal}\n${stdout}\n${stderr}`))
        return
      }
      stdout = stripVTControlCharacters(stdout)
      stderr = stripVTControlCharacters(stderr)
      resolve({ exitCode, stdout, stderr, output: `${stdout}\n${stderr}` })
    })
  })
  return { child, result }
}

/**
 * A throwaway folder inside the app (tmp/ is git-ignored), so migration
 * files copied there still resolve '@adonisjs/lucid' from node_modules.
 */
export async function makeTempFolder() {
  const path = app.makePath('tmp', `cli-tests-${randomUUID()}`)
  await mkdir(path, { recursive: true })
  return {
    path,
    url: new URL(`${pathToFileURL(path).href}/`),
    remove: () => rm(path, { recursive: true, force: true }),
  }
}

/**
 * Copies the first `count` tenant migrations (all by default) into a temp
 * folder, optionally with extra migration files.
 */
export async function copyTenantMigrations(
  options: { count?: number; extra?: Record<string, string> } = {}
) {
  const folder = await makeTempFolder()
  const source = app.makePath('database/migrations/tenant')
  const entries = await readdir(source)
  const files = entries.filter((file) => file.endsWith('.ts')).sort()
  for (const file of files.slice(0, options.count ?? files.length)) {
    await cp(`${source}/${file}`, `${folder.path}/${file}`)
  }
  for (const [file, contents] of Object.entries(options.extra ?? {})) {
    await writeFile(`${folder.path}/${file}`, contents)
  }
  return folder
}

export async function tenantMigrationNames() {
  const files = await readdir(app.makePath('database/migrations/tenant'))
  return files
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort()
}

export async function schemaExists(schema: string) {
  const result = await db.rawQuery('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema])
  return result.rows.length > 0
}

export async function tenantSchemas(): Promise<string[]> {
  const result = await db.rawQuery(
    `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY nspname`
  )
  return result.rows.map((row: { nspname: string }) => row.nspname)
}

export async function tenantRow(slug: string) {
  return db.from('central.tenants').where('slug', slug).first()
}

export async function tenantStatus(slug: string): Promise<string | undefined> {
  const row = await tenantRow(slug)
  return row?.status
}

/** Names recorded in a schema's migration ledger, sorted. */
export async function ledger(schema: string): Promise<string[]> {
  const result = await db.rawQuery('SELECT name FROM ??.schema_migrations ORDER BY name', [schema])
  return result.rows.map((row: { name: string }) => row.name)
}

export async function columnExists(schema: string, table: string, column: string) {
  const result = await db.rawQuery(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = ? AND table_name = ? AND column_name = ?`,
    [schema, table, column]
  )
  return result.rows.length > 0
}
