import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Idempotency-Key records of create endpoints (docs/api.md). A row with a
 * null status is a request still in progress; its id is the lease of the
 * request that inserted it (a stale lease is taken over by deleting the
 * row and inserting a new one). Only authenticated routes use keys, so
 * user_id is never null and the plain unique constraint is enough.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('idempotency_keys', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('user_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('route', 300).notNullable()
      table.string('key', 255).notNullable()
      table.specificType('fingerprint', 'char(64)').notNullable()
      table.smallint('status').nullable()
      // Encrypted with APP_KEY: a stored response may hold a secret shown
      // once (an invitation token), which must not sit in the clear.
      table.text('response').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['user_id', 'route', 'key'])
      // For a future sweeper of expired keys (they expire after 24 h).
      table.index(['created_at'])
    })
  }

  async down() {
    this.schema.dropTable('idempotency_keys')
  }
}
