import type { PluginMigration } from '#plugin-api'

export const migrations: PluginMigration[] = [
  {
    name: '0001_create_accounts_sync_state',
    async up(schema) {
      // A member linked to a directory entry: only linked members are ever changed by the sync.
      await schema.createTable('accounts', (table) => {
        table.integer('member_id').primary()
        // entryUUID / objectGUID: survives renames and moves, unlike the DN.
        table.text('entry_id').notNullable().unique()
        table.text('dn').notNullable()
        table.text('username').notNullable()
        // The role the plugin last gave; a different current role means an admin changed it by hand.
        table.string('applied_role', 16)
        table.timestamp('linked_at', { useTz: true }).notNullable()
        table.timestamp('last_login_at', { useTz: true })
        table.timestamp('last_seen_at', { useTz: true })
      })
      // One row: the lease that keeps two syncs of a workspace from running at once, and the last outcome.
      await schema.createTable('sync_state', (table) => {
        table.integer('id').primary()
        table.timestamp('lease_until', { useTz: true })
        table.timestamp('last_started_at', { useTz: true })
        table.timestamp('last_finished_at', { useTz: true })
        table.string('last_status', 16)
        table.jsonb('last_summary')
      })
    },
    async down(schema) {
      await schema.dropTable('sync_state')
      await schema.dropTable('accounts')
    },
  },
]
