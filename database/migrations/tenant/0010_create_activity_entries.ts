import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The activity feed: a read model projected from domain events by the
 * work module's subscriber. One entry per (event, project): a task moved
 * between projects shows in both feeds.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('activity_entries', (table) => {
      table.bigIncrements('id')
      table.uuid('event_id').notNullable()
      table.bigInteger('project_id').notNullable()
      table.string('actor_id', 64).nullable()
      table.string('verb', 50).notNullable()
      table.jsonb('object').notNullable()
      table.jsonb('changes').nullable()
      table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable()
      table.unique(['event_id', 'project_id'])
      table.index(['project_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('activity_entries')
  }
}
