import db from '@adonisjs/lucid/services/db'
import type { Knex } from 'knex'
import type {
  PluginContext,
  PluginCoreApi,
  PluginSchema,
  PluginTables,
  PluginTask,
  TaskChange,
} from '#plugin-api'
import { migrations } from '../../../plugins/calendar_sync/migrations.js'

const SCHEMA = 'calendar_sync_standalone'

/**
 * Just enough of a plugin context to run the sync engine before the
 * plugin runtime exists: the plugin's real tables (its migrations run in
 * a schema of their own) and an in-memory task list read and written the
 * way `ctx.api.as(member).tasks` does (versions, E_VERSION_CONFLICT).
 */
export async function standaloneContext() {
  const knex = db.connection().getWriteClient() as unknown as Knex
  await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [SCHEMA])
  await knex.raw('CREATE SCHEMA ??', [SCHEMA])
  const name = (table: string) => `calendar_sync_${table}`
  const schema: PluginSchema = {
    createTable: (table, build) => knex.schema.withSchema(SCHEMA).createTable(name(table), build),
    alterTable: (table, build) => knex.schema.withSchema(SCHEMA).alterTable(name(table), build),
    dropTable: (table) => knex.schema.withSchema(SCHEMA).dropTable(name(table)),
    tableName: (table) => `${SCHEMA}.${name(table)}`,
  }
  for (const migration of migrations) {
    await migration.up(schema)
  }
  const tablesOf = (client: Knex | Knex.Transaction): PluginTables => ({
    table: (table) => client.withSchema(SCHEMA).table(name(table)),
    transaction: (work) => knex.transaction((trx) => work(tablesOf(trx))),
  })

  const tasks = new Map<number, PluginTask>()
  const updates: Array<{ id: number; change: TaskChange }> = []
  const api = {
    tasks: {
      async list(query: { assignee_id?: number; has_due_date?: boolean }) {
        const items = [...tasks.values()].filter(
          (task) =>
            (!query.assignee_id || task.assignee_ids.includes(query.assignee_id)) &&
            (!query.has_due_date || task.due_date)
        )
        return { items: structuredClone(items), next_cursor: null }
      },
      async update(id: number, change: TaskChange) {
        updates.push({ id, change })
        const task = tasks.get(id)!
        if (change.expected_version !== undefined && change.expected_version !== task.version) {
          throw Object.assign(new Error('The task changed'), {
            code: 'E_VERSION_CONFLICT',
            status: 409,
          })
        }
        editTask(id, {
          ...(change.due_date !== undefined ? { due_date: change.due_date } : {}),
          ...(change.status_category
            ? { status: { id: 0, name: change.status_category, category: change.status_category } }
            : {}),
        })
        return structuredClone(tasks.get(id)!)
      },
    },
    as: () => api,
  } as unknown as PluginCoreApi

  /** An edit in Tandem: a new version, updated now (or at `at`). */
  function editTask(id: number, change: Partial<PluginTask>, at = new Date()) {
    const task = tasks.get(id)!
    tasks.set(id, { ...task, ...change, version: task.version + 1, updated_at: at.toISOString() })
  }

  const context = {
    plugin: { id: 'calendar_sync', version: '1.0.0' },
    tenant: { id: 1, slug: 'acme' },
    logger: { info() {}, warn() {} },
    settings: {},
    api,
    db: tablesOf(knex),
    signal: new AbortController().signal,
    url: (path: string) => `https://acme.tandem.test${path}`,
  } as unknown as PluginContext<any>

  return {
    context,
    tasks,
    updates,
    editTask,
    async cleanup() {
      await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [SCHEMA])
    },
  }
}
