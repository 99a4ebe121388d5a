import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * How members of this workspace may sign in (docs/identity.md, "Require
 * SSO"): one row. With require_sso, password sign-in is refused to
 * everyone but owners, who keep it as the break-glass path.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('sign_in_policy', (table) => {
      table.boolean('id').primary().defaultTo(true)
      table.boolean('require_sso').notNullable().defaultTo(false)
      table.bigInteger('updated_by').nullable().references('id').inTable('users')
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.check('id', [], 'sign_in_policy_one_row')
    })
    this.schema.raw('INSERT INTO sign_in_policy (id) VALUES (true)')
  }

  async down() {
    this.schema.dropTable('sign_in_policy')
  }
}
