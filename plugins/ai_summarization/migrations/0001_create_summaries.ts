import type { PluginMigration } from '#plugin-api'

export const createSummaries: PluginMigration = {
  name: '0001_create_summaries',
  async up(schema) {
    await schema.createTable('summaries', (table) => {
      table.increments('id')
      table.integer('requester_id').notNullable()
      table.string('kind', 20).notNullable()
      // The request as validated: channel_id/from/to, thread_id, task_id or project_id/week.
      table.jsonb('source').notNullable()
      table.string('status', 10).notNullable().defaultTo('pending')
      table.string('method', 12).nullable()
      table.string('model', 200).nullable()
      table.string('label', 200).nullable()
      table.text('text').nullable()
      table.string('fallback_reason', 40).nullable()
      table.string('error_code', 40).nullable()
      table.jsonb('stats').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('completed_at', { useTz: true }).nullable()
      // A member's own summaries, newest first.
      table.index(['requester_id', 'id'])
    })
  },
  async down(schema) {
    await schema.dropTable('summaries')
  },
}
