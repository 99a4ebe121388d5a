import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * A lease per (tenant, subscriber) cursor, so that with several nodes
 * only one delivers a subscriber's events at a time.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('event_subscriber_cursors', (table) => {
      table.string('leased_by', 64).nullable()
      table.timestamp('lease_until', { useTz: true }).nullable()
    })
  }

  async down() {
    this.schema.alterTable('event_subscriber_cursors', (table) => {
      table.dropColumn('leased_by')
      table.dropColumn('lease_until')
    })
  }
}
