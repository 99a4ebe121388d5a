import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The audit trail is append-only in the database itself: triggers refuse
 * UPDATE, DELETE and TRUNCATE whatever the application does. Each row
 * also carries a hash chained to the previous row (computed by the
 * application, checked by `audit:verify`), so edits made by someone who
 * bypasses the triggers are still detected.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('audit_events', (table) => {
      table.bigInteger('seq').primary()
      table.uuid('id').notNullable().unique()
      table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable()
      table.string('actor_type', 16).notNullable()
      table.string('actor_id', 64).nullable()
      table.string('action', 64).notNullable()
      table.string('target_type', 32).nullable()
      table.string('target_id', 64).nullable()
      table.string('ip', 64).nullable()
      table.string('user_agent', 512).nullable()
      table.jsonb('metadata').notNullable().defaultTo('{}')
      table.string('prev_hash', 64).notNullable()
      table.string('hash', 64).notNullable()
      table.index(['action', 'seq'])
      table.index(['actor_id', 'seq'])
      table.index(['occurred_at'])
    })

    // The chain head: locked FOR UPDATE by each writer, so rows get
    // gap-free sequence numbers in commit order.
    this.schema.createTable('audit_chain_head', (table) => {
      table.boolean('id').primary().defaultTo(true)
      table.bigInteger('seq').notNullable()
      table.string('hash', 64).notNullable()
    })
    this.schema.raw(
      `INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, 0, repeat('0', 64))`
    )

    this.schema.raw(`
      CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`)
    this.schema.raw(`
      CREATE TRIGGER audit_events_append_only
      BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`)
    this.schema.raw(`
      CREATE TRIGGER audit_events_no_truncate
      BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`)
  }

  async down() {
    this.schema.dropTable('audit_events')
    this.schema.dropTable('audit_chain_head')
    this.schema.raw('DROP FUNCTION audit_events_refuse_change()')
  }
}
