import { readdir } from 'node:fs/promises'
import { basename } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import type { BaseSchema } from '@adonisjs/lucid/schema'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'

type SchemaClass = new (client: QueryClientContract, file: string, dryRun?: boolean) => BaseSchema

export interface SchemaMigrationResult {
  schema: string
  /** Migrations run (or, on a dry run, that would run), in order. */
  applied: string[]
}

const LEDGER = 'schema_migrations'
const UNDEFINED_TABLE = '42P01'

/**
 * Runs a folder of ordinary Lucid migrations inside one PostgreSQL schema
 * and records them in that schema's own `schema_migrations` ledger.
 *
 * Each schema migrates in one transaction whose search_path is set with
 * `set_config(..., true)`: it reverts at COMMIT, so pooled connections are
 * never left pointing at a tenant, and a failed migration leaves the
 * schema exactly as it was. A transaction-scoped advisory lock per schema
 * makes concurrent runs (two servers booting, a CLI beside a server) safe.
 */
export class SchemaMigrator {
  #files?: Promise<{ name: string; url: string }[]>

  constructor(readonly folder: URL) {}

  files() {
    this.#files ??= readdir(fileURLToPath(this.folder)).then((entries) =>
      entries
        .filter((entry) => /\.(ts|js)$/.test(entry) && !entry.endsWith('.d.ts'))
        .sort()
        .map((entry) => ({
          name: basename(entry).replace(/\.(ts|js)$/, ''),
          url: pathToFileURL(`${fileURLToPath(this.folder)}/${entry}`).href,
        }))
    )
    return this.#files
  }

  /**
   * Names of the migrations the schema has not run. One round trip; a
   * schema without a ledger has run nothing.
   */
  async pending(schema: string, client: QueryClientContract = db.connection()) {
    const files = await this.files()
    const done = new Set(await this.#ledger(client, schema))
    return files.filter((file) => !done.has(file.name)).map((file) => file.name)
  }

  async migrate(
    schema: string,
    options: { dryRun?: boolean; client?: TransactionClientContract } = {}
  ): Promise<SchemaMigrationResult> {
    const pending = await this.pending(schema, options.client)
    if (pending.length === 0 || options.dryRun) {
      return { schema, applied: pending }
    }
    if (options.client) {
      return this.#migrateIn(options.client, schema)
    }
    return db.transaction((trx) => this.#migrateIn(trx, schema))
  }

  async #migrateIn(trx: TransactionClientContract, schema: string) {
    await trx.rawQuery(`CREATE SCHEMA IF NOT EXISTS ??`, [schema])
    await trx.rawQuery(
      `SELECT set_config('search_path', ?, true), pg_advisory_xact_lock(hashtext(?))`,
      [schema, `tandem:migrate:${schema}`]
    )
    await trx.rawQuery(
      `CREATE TABLE IF NOT EXISTS ${LEDGER} (
        name text PRIMARY KEY,
        batch integer NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now()
      )`
    )

    // Re-read under the lock: another process may have migrated meanwhile.
    const done = new Set(await this.#ledger(trx, schema))
    const batchRow = await trx.rawQuery(
      `SELECT coalesce(max(batch), 0) + 1 AS batch FROM ${LEDGER}`
    )
    const batch = Number(batchRow.rows[0].batch)
    const applied: string[] = []

    for (const file of await this.files()) {
      if (done.has(file.name)) {
        continue
      }
      const { default: Migration } = (await import(file.url)) as { default: SchemaClass }
      await new Migration(trx, file.url).execUp()
      await trx.rawQuery(`INSERT INTO ${LEDGER} (name, batch) VALUES (?, ?)`, [file.name, batch])
      applied.push(file.name)
    }
    return { schema, applied }
  }

  async #ledger(client: QueryClientContract, schema: string): Promise<string[]> {
    // Inside a transaction a failed statement aborts it, so check first;
    // outside one, a missing ledger costs nothing extra on the hot path.
    if (client.isTransaction) {
      const exists = await client.rawQuery('SELECT to_regclass(?) AS ledger', [
        `${schema}.${LEDGER}`,
      ])
      if (!exists.rows[0].ledger) {
        return []
      }
    }
    try {
      const rows = await client.rawQuery(`SELECT name FROM ??.??`, [schema, LEDGER])
      return rows.rows.map((row: { name: string }) => row.name)
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) {
        return []
      }
      throw error
    }
  }
}
