import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Runs with search_path set to the `central` schema (SchemaMigrator).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('tenants', (table) => {
      table.bigIncrements('id')
      table.string('slug', 64).notNullable().unique()
      table.string('name', 200).notNullable()
      table.string('schema_name', 80).notNullable().unique()
      table
        .enum('status', ['provisioning', 'active', 'suspended', 'archived'])
        .notNullable()
        .defaultTo('provisioning')
      table.string('region', 32).notNullable().defaultTo('default')
      table.string('plan', 32).notNullable().defaultTo('free')
      table.jsonb('settings').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })

    this.schema.createTable('tenant_domains', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('tenant_id')
        .notNullable()
        .references('id')
        .inTable('tenants')
        .onDelete('CASCADE')
      table.string('domain', 253).notNullable().unique()
      table.timestamp('verified_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
  }

  async down() {
    this.schema.dropTable('tenant_domains')
    this.schema.dropTable('tenants')
  }
}
