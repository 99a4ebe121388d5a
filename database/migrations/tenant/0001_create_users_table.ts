import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Tenant migrations run with search_path set to the tenant's schema only
 * (SchemaMigrator), so table names here are unqualified.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (table) => {
      table.bigIncrements('id')
      table.string('email', 254).notNullable()
      table.string('full_name', 200).notNullable()
      table.string('password', 255).nullable()
      table.enum('role', ['owner', 'admin', 'member', 'guest']).notNullable().defaultTo('member')
      table.enum('status', ['active', 'deactivated']).notNullable().defaultTo('active')
      table.timestamp('deactivated_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    // Emails are stored lower-cased; the index is the uniqueness rule.
    this.schema.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))')
  }

  async down() {
    this.schema.dropTable('users')
  }
}
