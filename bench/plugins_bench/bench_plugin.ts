/*
 * The plugins bench/plugins.ts installs in every tenant, as a plugin
 * author would write them (only #plugin-api), plus one call to the bench's
 * recorder. Each takes `task.*` and does the small work a typical
 * integration does per event: one idempotent insert into its own table
 * (`<id>_entries`, unique on the event id) and one write to its key-value
 * store (the last task event of the project).
 */
import { definePlugin } from '#plugin-api'
import { recordDelivery } from './recorder.js'

export const BENCH_PLUGIN_IDS = ['bench_one', 'bench_two', 'bench_three'] as const

const now = () => performance.timeOrigin + performance.now()

export function benchPlugin(id: (typeof BENCH_PLUGIN_IDS)[number], name: string) {
  return definePlugin({
    id,
    name,
    version: '1.0.0',
    description:
      'Benchmark plugin (bench/plugins.ts): records each task event in its table and its store',
    permissions: ['tasks:read'],
    migrations: [
      {
        name: '0001_create_entries',
        async up(schema) {
          await schema.createTable('entries', (table) => {
            table.bigIncrements('id')
            table.string('event_id', 100).notNullable().unique()
            table.string('type', 60).notNullable()
            table.bigInteger('task_id').notNullable()
            table.timestamp('occurred_at', { useTz: true }).notNullable()
            table.timestamp('received_at', { useTz: true }).notNullable()
          })
        },
      },
    ],
    events: {
      'task.*': async (context, event) => {
        const receivedAt = now()
        const taskId = Number(event.data.task_id)
        // Lag: handler start - occurred_at (set in the transaction that emitted it).
        recordDelivery(id, {
          eventId: event.id,
          task: `${context.tenant.id}:${taskId}`,
          occurredAt: Date.parse(event.occurred_at),
          receivedAt,
        })
        await context.db
          .table('entries')
          .insert({
            event_id: event.id,
            type: event.type,
            task_id: taskId,
            occurred_at: event.occurred_at,
            received_at: new Date(receivedAt),
          })
          .onConflict('event_id')
          .ignore()
        await context.store.set(`project:${event.data.project_id}:last_task_event`, {
          event_id: event.id,
          type: event.type,
          task_id: taskId,
          at: event.occurred_at,
        })
      },
    },
  })
}
