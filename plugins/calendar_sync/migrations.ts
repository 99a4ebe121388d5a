import type { PluginMigration } from '#plugin-api'

export const migrations: PluginMigration[] = [
  {
    name: '0001_create_feeds_connections_items',
    async up(schema) {
      await schema.createTable('feeds', (table) => {
        // One feed per member: issuing a new URL replaces the old one.
        table.integer('member_id').primary()
        // sha256 of the secret in the URL: a database leak does not expose calendars.
        table.string('token_hash', 64).notNullable().unique()
        table.timestamp('created_at', { useTz: true }).notNullable()
      })
      await schema.createTable('connections', (table) => {
        table.integer('member_id').primary()
        table.text('server_url').notNullable()
        table.text('username').notNullable()
        table.text('password_encrypted').notNullable()
        table.text('calendar_url').notNullable()
        table.text('calendar_name')
        table.timestamp('connected_at', { useTz: true }).notNullable()
        table.timestamp('last_sync_at', { useTz: true })
        table.string('last_sync_status', 16)
        table.text('last_sync_error')
      })
      await schema.createTable('items', (table) => {
        table
          .integer('member_id')
          .notNullable()
          .references('member_id')
          .inTable(schema.tableName('connections'))
          .onDelete('CASCADE')
        table.integer('task_id').notNullable()
        table.text('object_url').notNullable()
        table.text('etag')
        table.integer('task_version').notNullable()
        // Text, not date: 'YYYY-MM-DD' must not meet the driver's time zone conversion.
        table.string('due_date', 10)
        table.string('status', 16).notNullable()
        table.timestamp('synced_at', { useTz: true }).notNullable()
        table.primary(['member_id', 'task_id'])
        table.index(['task_id'])
      })
    },
    async down(schema) {
      await schema.dropTable('items')
      await schema.dropTable('connections')
      await schema.dropTable('feeds')
    },
  },
]
