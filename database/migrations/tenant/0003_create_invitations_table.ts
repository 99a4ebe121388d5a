import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('invitations', (table) => {
      table.bigIncrements('id')
      table.string('email', 254).notNullable()
      table.enum('role', ['admin', 'member', 'guest']).notNullable().defaultTo('member')
      table.string('token_hash', 64).notNullable().unique()
      table.bigInteger('invited_by_id').nullable().references('id').inTable('users')
      table.bigInteger('accepted_user_id').nullable().references('id').inTable('users')
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('accepted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
  }

  async down() {
    this.schema.dropTable('invitations')
  }
}
