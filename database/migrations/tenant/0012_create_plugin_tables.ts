import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Plugin installations of this tenant and what the runtime keeps for each
 * installed plugin (docs/plugins.md). A plugin's own tables are created
 * by its migrations, prefixed with its id, and listed in plugin_tables so
 * a purge drops exactly those.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('plugin_installations', (table) => {
      table.string('plugin_id', 40).primary()
      table.string('version', 40).notNullable()
      table.boolean('enabled').notNullable()
      table.specificType('granted_permissions', 'text[]').notNullable()
      // The whole settings object, encrypted with APP_KEY (it holds secrets).
      table.text('settings').notNullable()
      table.bigInteger('installed_by').nullable().references('id').inTable('users')
      table.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      // Why it is disabled: 'admin' or 'failures' (disabled by the runtime).
      table.string('disabled_reason', 20).nullable()
      table.integer('consecutive_failures').notNullable().defaultTo(0)
      table.text('last_error').nullable()
      table.timestamp('last_failure_at', { useTz: true }).nullable()
    })

    this.schema.createTable('plugin_migrations', (table) => {
      table.string('plugin_id', 40).notNullable()
      table.string('name', 120).notNullable()
      table.timestamp('applied_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.primary(['plugin_id', 'name'])
    })

    this.schema.createTable('plugin_tables', (table) => {
      table.string('plugin_id', 40).notNullable()
      table.string('table_name', 63).notNullable()
      table.primary(['plugin_id', 'table_name'])
    })

    this.schema.createTable('plugin_store', (table) => {
      table.string('plugin_id', 40).notNullable()
      table.string('key', 200).notNullable()
      table.jsonb('value').notNullable()
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.primary(['plugin_id', 'key'])
    })

    // Counters flushed by each process now and then (they are added up).
    this.schema.createTable('plugin_metrics', (table) => {
      table.string('plugin_id', 40).primary()
      table.bigInteger('delivered').notNullable().defaultTo(0)
      table.bigInteger('failed').notNullable().defaultTo(0)
      table.bigInteger('timed_out').notNullable().defaultTo(0)
      table.bigInteger('latency_ms_total').notNullable().defaultTo(0)
      table.integer('latency_ms_max').notNullable().defaultTo(0)
      table.timestamp('last_delivered_at', { useTz: true }).nullable()
      table.timestamp('last_failed_at', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.dropTable('plugin_metrics')
    this.schema.dropTable('plugin_store')
    this.schema.dropTable('plugin_tables')
    this.schema.dropTable('plugin_migrations')
    this.schema.dropTable('plugin_installations')
  }
}
