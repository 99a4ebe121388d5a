/*
 * Tenant migration runs for bench/provisioning.ts. Imported after the app
 * has booted.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { SchemaMigrator } from '#tenancy/services/schema_migrator'
import { TenantSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TenantMigrations, type TenantMigrationOutcome } from '#tenancy/services/tenant_migrations'

// Sorts after every real migration, present or future.
export const EXTRA_MIGRATION = '9999_bench_add_users_nickname'
export const EXTRA_COLUMN = 'bench_nickname'

const EXTRA_MIGRATION_SOURCE = `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.string('${EXTRA_COLUMN}', 64).nullable()
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('${EXTRA_COLUMN}')
    })
  }
}
`

export interface MigrationRun {
  outcomes: TenantMigrationOutcome[]
  ms: number
}

export async function migrateAllTenants(concurrency: number): Promise<MigrationRun> {
  const migrations = await app.container.make(TenantMigrations)
  const started = performance.now()
  const outcomes = await migrations.run({ concurrency })
  return { outcomes, ms: performance.now() - started }
}

/**
 * A copy of database/migrations/tenant plus one new migration. It lives
 * under the app's tmp/ (git-ignored), not the OS temp dir: the migration
 * imports '@adonisjs/lucid/schema', which resolves from the app's
 * node_modules only.
 */
async function migrationsWithExtraOne(): Promise<URL> {
  const folder = app.makeURL(`tmp/bench-migrations-${process.pid}/`)
  await mkdir(folder, { recursive: true })
  const source = app.makeURL('database/migrations/tenant/')
  for (const entry of await readdir(source)) {
    await copyFile(new URL(entry, source), new URL(entry, folder))
  }
  await writeFile(new URL(`${EXTRA_MIGRATION}.ts`, folder), EXTRA_MIGRATION_SOURCE)
  return folder
}

/**
 * Runs `TenantMigrations` (the code behind the operator's migrate
 * command) with the tenant migrator swapped for one that sees the extra
 * migration, as a deployment shipping that migration would.
 */
export async function migrateAllTenantsWithNewMigration(
  concurrency: number
): Promise<MigrationRun> {
  const folder = await migrationsWithExtraOne()
  app.container.swap(TenantSchemaMigrator, () => new SchemaMigrator(folder))
  try {
    return await migrateAllTenants(concurrency)
  } finally {
    app.container.restore(TenantSchemaMigrator)
    await rm(fileURLToPath(folder), { recursive: true, force: true })
  }
}

/** Tenant schemas whose users table has the new column. */
export async function schemasWithNewColumn(): Promise<number> {
  const result = await db.rawQuery(
    `SELECT count(*) AS total FROM information_schema.columns
     WHERE table_schema LIKE 'tenant\\_%' AND table_name = 'users' AND column_name = ?`,
    [EXTRA_COLUMN]
  )
  return Number(result.rows[0].total)
}
