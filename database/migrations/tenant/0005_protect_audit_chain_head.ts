import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The chain head is updated by every audit write, but its single row is
 * never deleted: refuse DELETE and TRUNCATE like on audit_events.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TRIGGER audit_chain_head_kept
      BEFORE DELETE ON audit_chain_head
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`)
    this.schema.raw(`
      CREATE TRIGGER audit_chain_head_no_truncate
      BEFORE TRUNCATE ON audit_chain_head
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`)
  }

  async down() {
    this.schema.raw('DROP TRIGGER audit_chain_head_kept ON audit_chain_head')
    this.schema.raw('DROP TRIGGER audit_chain_head_no_truncate ON audit_chain_head')
  }
}
