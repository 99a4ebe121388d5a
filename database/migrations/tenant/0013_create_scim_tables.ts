import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * SCIM 2.0 provisioning (docs/identity.md): the bearer tokens identity
 * providers use, what SCIM knows of a user beyond the member account
 * (userName, externalId and the rest of the RFC 7643 attributes), groups
 * and their members, and how admins map groups to roles and projects.
 *
 * users.deactivation_source records who deactivated a member (admin,
 * scim, plugin:<id>), so one source never undoes another's decision (a
 * directory sync does not reactivate someone an admin turned off).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.string('deactivation_source', 64).nullable()
    })

    this.schema.createTable('scim_tokens', (table) => {
      table.bigIncrements('id')
      table.string('name', 100).notNullable()
      // SHA-256 of the secret: the token itself is shown once, never stored.
      table.string('hash', 64).notNullable()
      table.bigInteger('created_by').nullable().references('id').inTable('users')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.timestamp('last_used_at', { useTz: true }).nullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      table.bigInteger('revoked_by').nullable().references('id').inTable('users')
    })

    this.schema.createTable('scim_users', (table) => {
      table.bigInteger('user_id').primary().references('id').inTable('users').onDelete('CASCADE')
      table.string('user_name', 255).notNullable()
      table.string('external_id', 255).nullable()
      // Every other RFC 7643 attribute the IdP sent, as sent (canonical names).
      table.jsonb('attributes').notNullable().defaultTo('{}')
      // What group mappings granted, so only those grants are taken back.
      table.string('mapped_role', 16).nullable()
      table.jsonb('mapped_projects').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      // DELETE deactivates the member and hides the SCIM resource (RFC 7644
      // section 3.6: 404 afterwards); a later POST of the same user restores it.
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['external_id'])
    })
    // userName is unique case-insensitively (RFC 7643 section 4.1.1).
    this.schema.raw(
      'CREATE UNIQUE INDEX scim_users_user_name_unique ON scim_users (lower(user_name))'
    )

    this.schema.createTable('scim_groups', (table) => {
      table.uuid('id').primary().defaultTo(this.raw('gen_random_uuid()'))
      // Creation order, for paging the admin API's list.
      table.specificType('seq', 'bigint GENERATED ALWAYS AS IDENTITY').unique()
      table.string('display_name', 255).notNullable()
      table.string('external_id', 255).nullable()
      // Project grants and the role this group gives its members.
      table.string('mapped_role', 16).nullable()
      table.jsonb('mapped_projects').notNullable().defaultTo('[]')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX scim_groups_display_name_unique ON scim_groups (lower(display_name))'
    )

    this.schema.createTable('scim_group_members', (table) => {
      table
        .uuid('group_id')
        .notNullable()
        .references('id')
        .inTable('scim_groups')
        .onDelete('CASCADE')
      table
        .bigInteger('user_id')
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.primary(['group_id', 'user_id'])
      table.index(['user_id'])
    })
  }

  async down() {
    this.schema.dropTable('scim_group_members')
    this.schema.dropTable('scim_groups')
    this.schema.dropTable('scim_users')
    this.schema.dropTable('scim_tokens')
    this.schema.alterTable('users', (table) => {
      table.dropColumn('deactivation_source')
    })
  }
}
