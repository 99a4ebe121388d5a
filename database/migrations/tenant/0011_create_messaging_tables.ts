import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Chat: channels (public, private, direct) with their members, messages
 * with threads, edit history and reactions (docs/chat.md).
 *
 * Every change to a channel's messages takes the next number of the
 * channel's own counter (`channels.last_seq`) under the channel row lock,
 * so the numbers follow commit order per channel: a client that asks for
 * "everything changed after N" misses nothing.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('channels', (table) => {
      table.bigIncrements('id')
      table.enum('kind', ['public', 'private', 'direct']).notNullable()
      table.string('name', 80).nullable()
      table.string('topic', 250).nullable()
      table.bigInteger('created_by').nullable().references('id').inTable('users')
      // A direct conversation's sorted member ids ("3,7,12"): one DM per
      // member set, however many clients open it at once.
      table.string('direct_key', 200).nullable().unique()
      table.bigInteger('last_seq').notNullable().defaultTo(0)
      table.timestamp('archived_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.check(
        `(kind = 'direct') = (name IS NULL) AND (kind = 'direct') = (direct_key IS NOT NULL)`,
        [],
        'channels_direct_shape'
      )
    })
    // Channels are deleted for real, so "not deleted" is every named row.
    this.schema.raw(
      `CREATE UNIQUE INDEX channels_name_unique ON channels (lower(name)) WHERE kind <> 'direct'`
    )

    this.schema.createTable('channel_members', (table) => {
      table
        .bigInteger('channel_id')
        .notNullable()
        .references('id')
        .inTable('channels')
        .onDelete('CASCADE')
      table.bigInteger('user_id').notNullable().references('id').inTable('users')
      table.enum('role', ['owner', 'member']).notNullable()
      table.bigInteger('last_read_seq').notNullable().defaultTo(0)
      table.timestamp('joined_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.primary(['channel_id', 'user_id'])
      table.index(['user_id', 'channel_id'])
    })

    this.schema.createTable('messages', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('channel_id')
        .notNullable()
        .references('id')
        .inTable('channels')
        .onDelete('CASCADE')
      table.bigInteger('seq').notNullable()
      // The seq of the latest change to this message (its post, an edit, a
      // deletion, a reaction, a pin, a reply to it): what the catch-up feed
      // pages on.
      table.bigInteger('changed_seq').notNullable()
      table
        .bigInteger('thread_id')
        .nullable()
        .references('id')
        .inTable('messages')
        .onDelete('CASCADE')
      table.bigInteger('sender_id').notNullable().references('id').inTable('users')
      table.text('client_id').notNullable()
      table.text('body').notNullable()
      table.specificType('mention_ids', 'integer[]').notNullable().defaultTo('{}')
      table.boolean('mentions_channel').notNullable().defaultTo(false)
      table.integer('reply_count').notNullable().defaultTo(0)
      table.timestamp('last_reply_at', { useTz: true }).nullable()
      table.timestamp('pinned_at', { useTz: true }).nullable()
      table.bigInteger('pinned_by').nullable().references('id').inTable('users')
      table.timestamp('edited_at', { useTz: true }).nullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['channel_id', 'seq'])
      // A client retrying a post with the same id gets the stored message.
      table.unique(['channel_id', 'sender_id', 'client_id'])
      // The catch-up feed: changed_seq order, id to break the tie between
      // a thread reply and its root, which share the reply's seq.
      table.index(['channel_id', 'changed_seq', 'id'])
      // Scrollback of the top level (thread_id IS NULL) and of one thread.
      table.index(['channel_id', 'thread_id', 'seq'])
    })
    // Deleting a channel deletes its roots, and each root's replies are
    // found through this (without it, one scan per root).
    this.schema.raw(
      'CREATE INDEX messages_thread_id ON messages (thread_id) WHERE thread_id IS NOT NULL'
    )
    this.schema.raw(
      'CREATE INDEX messages_pinned ON messages (channel_id, seq) WHERE pinned_at IS NOT NULL'
    )

    // What a message said before each edit.
    this.schema.createTable('message_revisions', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('message_id')
        .notNullable()
        .references('id')
        .inTable('messages')
        .onDelete('CASCADE')
      table.text('body').notNullable()
      table.bigInteger('edited_by').notNullable().references('id').inTable('users')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['message_id', 'id'])
    })

    this.schema.createTable('message_reactions', (table) => {
      table
        .bigInteger('message_id')
        .notNullable()
        .references('id')
        .inTable('messages')
        .onDelete('CASCADE')
      table.bigInteger('user_id').notNullable().references('id').inTable('users')
      table.string('emoji', 64).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.primary(['message_id', 'user_id', 'emoji'])
    })
  }

  async down() {
    this.schema.dropTable('message_reactions')
    this.schema.dropTable('message_revisions')
    this.schema.dropTable('messages')
    this.schema.dropTable('channel_members')
    this.schema.dropTable('channels')
  }
}
