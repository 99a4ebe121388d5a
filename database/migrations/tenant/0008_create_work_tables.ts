import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Work management: projects with their members and workflow, tasks with
 * assignees and subtasks, comments with their edit history.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('projects', (table) => {
      table.bigIncrements('id')
      table.string('key', 10).notNullable().unique()
      table.string('name', 200).notNullable()
      table.text('description').nullable()
      table.enum('status', ['active', 'archived']).notNullable().defaultTo('active')
      table.date('start_date').nullable()
      table.date('end_date').nullable()
      table.bigInteger('lead_id').nullable().references('id').inTable('users')
      // Task numbers are handed out from here under the project row lock,
      // so WEB-42 is never reused, even after WEB-42 is deleted.
      table.integer('last_task_number').notNullable().defaultTo(0)
      table.bigInteger('created_by_id').nullable().references('id').inTable('users')
      table.timestamp('archived_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
    })

    this.schema.createTable('project_members', (table) => {
      table
        .bigInteger('project_id')
        .notNullable()
        .references('id')
        .inTable('projects')
        .onDelete('CASCADE')
      table.bigInteger('user_id').notNullable().references('id').inTable('users')
      table.enum('role', ['lead', 'member', 'viewer']).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.primary(['project_id', 'user_id'])
      table.index(['user_id'])
    })

    this.schema.createTable('workflow_statuses', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('project_id')
        .notNullable()
        .references('id')
        .inTable('projects')
        .onDelete('CASCADE')
      table.string('name', 50).notNullable()
      table.enum('category', ['todo', 'in_progress', 'done']).notNullable()
      table.integer('position').notNullable()
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX workflow_statuses_project_name ON workflow_statuses (project_id, lower(name))'
    )

    this.schema.createTable('tasks', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('project_id')
        .notNullable()
        .references('id')
        .inTable('projects')
        .onDelete('CASCADE')
      table.integer('number').notNullable()
      table.string('title', 500).notNullable()
      table.text('description').nullable()
      table.bigInteger('status_id').notNullable().references('id').inTable('workflow_statuses')
      table.enum('priority', ['low', 'medium', 'high', 'urgent']).notNullable()
      table.date('due_date').nullable()
      table.specificType('labels', 'text[]').notNullable().defaultTo('{}')
      table.bigInteger('parent_id').nullable().references('id').inTable('tasks').onDelete('CASCADE')
      // Board order: a new task goes last, a move lands between two
      // neighbours (see TaskOrdering).
      table.double('position').notNullable()
      table.integer('version').notNullable().defaultTo(1)
      table.bigInteger('created_by_id').nullable().references('id').inTable('users')
      table.timestamp('completed_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.unique(['project_id', 'number'])
      table.index(['project_id', 'position', 'id'])
      table.index(['parent_id'])
      table.index(['status_id'])
    })
    this.schema.raw('CREATE INDEX tasks_labels ON tasks USING gin (labels)')

    this.schema.createTable('task_assignees', (table) => {
      table
        .bigInteger('task_id')
        .notNullable()
        .references('id')
        .inTable('tasks')
        .onDelete('CASCADE')
      table.bigInteger('user_id').notNullable().references('id').inTable('users')
      table.primary(['task_id', 'user_id'])
      table.index(['user_id', 'task_id'])
    })

    this.schema.createTable('comments', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('task_id')
        .notNullable()
        .references('id')
        .inTable('tasks')
        .onDelete('CASCADE')
      table.bigInteger('author_id').notNullable().references('id').inTable('users')
      table.text('body').notNullable()
      table.specificType('mention_ids', 'integer[]').notNullable().defaultTo('{}')
      table.timestamp('edited_at', { useTz: true }).nullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['task_id', 'id'])
    })

    // What a comment said before each edit.
    this.schema.createTable('comment_revisions', (table) => {
      table.bigIncrements('id')
      table
        .bigInteger('comment_id')
        .notNullable()
        .references('id')
        .inTable('comments')
        .onDelete('CASCADE')
      table.text('body').notNullable()
      table.bigInteger('edited_by_id').notNullable().references('id').inTable('users')
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['comment_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('comment_revisions')
    this.schema.dropTable('comments')
    this.schema.dropTable('task_assignees')
    this.schema.dropTable('tasks')
    this.schema.dropTable('workflow_statuses')
    this.schema.dropTable('project_members')
    this.schema.dropTable('projects')
  }
}
