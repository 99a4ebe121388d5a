import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The transactional outbox (DESIGN.md section 5). Events are appended in
 * the transaction of the change they describe; sequence numbers come from
 * a locked head row, so they follow commit order. Each subscriber keeps a
 * cursor, and failures that exhausted their retries are dead-lettered.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('domain_events', (table) => {
      table.bigInteger('seq').primary()
      table.uuid('id').notNullable().unique()
      table.string('type', 100).notNullable()
      table.integer('version').notNullable()
      table.string('actor_id', 64).nullable()
      table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable()
      table.jsonb('payload').notNullable()
    })

    this.schema.createTable('domain_event_head', (table) => {
      table.boolean('id').primary().defaultTo(true)
      table.bigInteger('seq').notNullable()
    })
    this.schema.raw('INSERT INTO domain_event_head (id, seq) VALUES (true, 0)')

    this.schema.createTable('event_subscriber_cursors', (table) => {
      table.string('subscriber', 100).primary()
      table.bigInteger('last_seq').notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.timestamp('retry_at', { useTz: true }).nullable()
      table.text('last_error').nullable()
    })

    this.schema.createTable('event_dead_letters', (table) => {
      table.bigIncrements('id')
      table.string('subscriber', 100).notNullable()
      table.bigInteger('event_seq').notNullable().references('seq').inTable('domain_events')
      table.integer('attempts').notNullable()
      table.text('last_error').notNullable()
      table.timestamp('failed_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('retried_at', { useTz: true }).nullable()
      table.unique(['subscriber', 'event_seq'])
    })
  }

  async down() {
    this.schema.dropTable('event_dead_letters')
    this.schema.dropTable('event_subscriber_cursors')
    this.schema.dropTable('domain_event_head')
    this.schema.dropTable('domain_events')
  }
}
