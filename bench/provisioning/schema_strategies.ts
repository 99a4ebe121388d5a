/*
 * The two ways of giving a new tenant its tables that the platform issue
 * asks to compare, for bench/provisioning.ts:
 * - migrate: run the tenant migrations in a fresh schema, as
 *   TenantProvisioner does (one statement per round trip, ledger rows);
 * - load a dump: the SQL those same migrations generate, captured once
 *   (Lucid dry run), replayed in one multi-statement batch per schema —
 *   what cloning a migrated template schema amounts to in PostgreSQL,
 *   which has no CREATE SCHEMA ... LIKE.
 * Owner creation (and its scrypt hash) is left out of both.
 */
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { BaseSchema } from '@adonisjs/lucid/schema'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { TenantSchemaMigrator } from '#tenancy/services/schema_migrators'

type SchemaClass = new (client: QueryClientContract, file: string, dryRun?: boolean) => BaseSchema

/** The DDL the tenant migrations run, plus a ledger recording them. */
async function captureDump(migrator: TenantSchemaMigrator) {
  const statements: string[] = []
  const names: string[] = []
  for (const file of await migrator.files()) {
    const { default: Migration } = (await import(file.url)) as { default: SchemaClass }
    const sql = (await new Migration(db.connection(), file.url, true).execUp()) as string[]
    statements.push(...sql)
    names.push(file.name)
  }
  statements.push(
    'CREATE TABLE schema_migrations (name text PRIMARY KEY, batch integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())',
    `INSERT INTO schema_migrations (name, batch) VALUES ${names.map((name) => `('${name}', 1)`).join(', ')}`
  )
  return statements.join(';\n')
}

async function loadDump(schema: string, dump: string) {
  await db.transaction((trx) =>
    trx.rawQuery(`CREATE SCHEMA ${schema};\nSET LOCAL search_path TO ${schema};\n${dump}`)
  )
}

async function tableShape(schema: string) {
  const { rows } = await db.rawQuery(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = ? ORDER BY table_name, column_name`,
    [schema]
  )
  return JSON.stringify(rows.map((row: Record<string, string>) => Object.values(row)))
}

export interface StrategyTimings {
  migrate: number[]
  loadDump: number[]
  /** Both strategies produced the same tables and columns. */
  sameShape: boolean
}

export async function compareSchemaStrategies(count: number): Promise<StrategyTimings> {
  const migrator = await app.container.make(TenantSchemaMigrator)
  const dump = await captureDump(migrator)
  const timings: StrategyTimings = { migrate: [], loadDump: [], sameShape: true }
  const schemas: string[] = []

  for (let index = 0; index < count; index++) {
    const viaMigrations = `strategy_migrate_${index}`
    const viaDump = `strategy_dump_${index}`
    schemas.push(viaMigrations, viaDump)

    let started = performance.now()
    await migrator.migrate(viaMigrations)
    timings.migrate.push(performance.now() - started)

    started = performance.now()
    await loadDump(viaDump, dump)
    timings.loadDump.push(performance.now() - started)

    timings.sameShape &&= (await tableShape(viaMigrations)) === (await tableShape(viaDump))
  }

  for (const schema of schemas) {
    await db.rawQuery(`DROP SCHEMA ${schema} CASCADE`)
  }
  return timings
}
