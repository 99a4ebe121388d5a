import type { JSONSchema7 } from 'json-schema'
import { defineOperations, type OperationSpec } from '#shared/openapi/operation'
import { page, resource } from '#shared/openapi/schemas'
import {
  addProjectMemberValidator,
  createProjectValidator,
  listProjectMembersValidator,
  listProjectsValidator,
  updateProjectValidator,
} from '#work/validators/projects'
import { createStatusValidator, updateStatusValidator } from '#work/validators/statuses'
import {
  createTaskValidator,
  listMyTasksValidator,
  listTasksValidator,
  moveTaskValidator,
  setTaskStatusValidator,
  updateTaskValidator,
} from '#work/validators/tasks'
import {
  editCommentValidator,
  listCommentsValidator,
  postCommentValidator,
} from '#work/validators/comments'
import { activityFeedValidator } from '#work/validators/activity'

const date: JSONSchema7 = { type: ['string', 'null'], format: 'date' }
const dateTime: JSONSchema7 = { type: 'string', format: 'date-time' }
const nullableDateTime: JSONSchema7 = { type: ['string', 'null'], format: 'date-time' }
const ids: JSONSchema7 = { type: 'array', items: { type: 'integer' } }
const changes: JSONSchema7 = {
  type: ['object', 'null'],
  additionalProperties: {
    type: 'object',
    properties: { from: {}, to: {} },
  },
}

export const workSchemas: Record<string, JSONSchema7> = {
  Project: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      key: { type: 'string', examples: ['WEB'] },
      name: { type: 'string' },
      description: { type: ['string', 'null'] },
      status: { enum: ['active', 'archived'] },
      start_date: date,
      end_date: date,
      lead_id: { type: ['integer', 'null'] },
      created_by: { type: ['integer', 'null'] },
      archived_at: nullableDateTime,
      created_at: dateTime,
      updated_at: dateTime,
    },
  },
  ProjectMember: {
    type: 'object',
    properties: {
      user_id: { type: 'integer' },
      role: { enum: ['lead', 'member', 'viewer'] },
      email: { type: 'string' },
      full_name: { type: 'string' },
      status: { enum: ['active', 'deactivated'] },
      added_at: dateTime,
    },
  },
  WorkflowStatus: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string', examples: ['In Progress'] },
      category: { enum: ['todo', 'in_progress', 'done'] },
      position: { type: 'integer' },
    },
  },
  Task: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      key: { type: 'string', examples: ['WEB-42'] },
      number: { type: 'integer' },
      project_id: { type: 'integer' },
      title: { type: 'string' },
      description: { type: ['string', 'null'] },
      status: { $ref: '#/components/schemas/WorkflowStatus' },
      priority: { enum: ['low', 'medium', 'high', 'urgent'] },
      assignee_ids: ids,
      due_date: date,
      labels: { type: 'array', items: { type: 'string' } },
      parent_id: { type: ['integer', 'null'] },
      position: { type: 'number' },
      version: { type: 'integer', description: 'Also sent as the ETag; send it back in If-Match' },
      created_by: { type: ['integer', 'null'] },
      completed_at: nullableDateTime,
      created_at: dateTime,
      updated_at: dateTime,
    },
  },
  Comment: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      task_id: { type: 'integer' },
      author_id: { type: 'integer' },
      body: { type: ['string', 'null'], description: 'null once deleted; <@id> mentions' },
      mention_ids: ids,
      deleted: { type: 'boolean' },
      edited_at: nullableDateTime,
      deleted_at: nullableDateTime,
      created_at: dateTime,
    },
  },
  ActivityEntry: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      actor: {
        type: ['object', 'null'],
        properties: { id: { type: 'integer' }, full_name: { type: ['string', 'null'] } },
      },
      verb: {
        type: 'string',
        examples: ['created', 'updated', 'changed_status', 'assigned', 'commented', 'moved'],
      },
      object: {
        type: 'object',
        properties: { type: { enum: ['project', 'task', 'comment', 'member'] }, id: {} },
      },
      changes,
      occurred_at: dateTime,
    },
  },
}

const notFound = { description: 'No such resource, or not visible to the caller' }
const forbidden = { description: 'Visible, but the caller may not do this' }
const archived = { description: 'The project is archived (E_PROJECT_ARCHIVED)' }
const taskWrite = (summary: string, body: OperationSpec['body']): OperationSpec => ({
  summary,
  tag: 'Tasks',
  body,
  responses: {
    200: { description: 'The task after the change (ETag: its version)', schema: resource('Task') },
    403: forbidden,
    404: notFound,
    409: { description: 'Stale If-Match/version (E_CONFLICT), or project archived' },
  },
})

export const workOperations = defineOperations({
  'projects.index': {
    summary: 'Projects the caller can see (guests: those they were added to)',
    tag: 'Projects',
    query: listProjectsValidator,
    responses: { 200: { description: 'A page of projects', schema: page('Project') } },
  },
  'projects.store': {
    summary: 'Create a project with the default workflow; the creator leads it',
    tag: 'Projects',
    body: createProjectValidator,
    idempotent: true,
    responses: {
      201: { description: 'The new project', schema: resource('Project') },
      403: { description: 'Guests cannot create projects' },
      409: { description: 'The key is taken (E_PROJECT_KEY_TAKEN)' },
    },
  },
  'projects.show': {
    summary: 'One project',
    tag: 'Projects',
    responses: { 200: { description: 'The project', schema: resource('Project') }, 404: notFound },
  },
  'projects.update': {
    summary: 'Change a project, archive it or restore it (leads and admins)',
    tag: 'Projects',
    body: updateProjectValidator,
    responses: {
      200: { description: 'The project', schema: resource('Project') },
      403: forbidden,
      404: notFound,
      409: { description: 'The key is taken (E_PROJECT_KEY_TAKEN)' },
    },
  },
  'projects.destroy': {
    summary: 'Delete a project without tasks; one with tasks is archived instead',
    tag: 'Projects',
    responses: {
      200: { description: 'It had tasks: archived', schema: resource('Project') },
      204: { description: 'Deleted' },
      403: forbidden,
      404: notFound,
    },
  },
  'project_members.index': {
    summary: "A project's members and their roles",
    tag: 'Projects',
    query: listProjectMembersValidator,
    responses: { 200: { description: 'A page of members', schema: page('ProjectMember') } },
  },
  'project_members.store': {
    summary: 'Add a member to a project, or change their role (leads and admins)',
    tag: 'Projects',
    body: addProjectMemberValidator,
    responses: {
      200: { description: 'Role changed', schema: resource('ProjectMember') },
      201: { description: 'Added', schema: resource('ProjectMember') },
      403: forbidden,
      404: notFound,
    },
  },
  'project_members.destroy': {
    summary: 'Remove a member from a project (leads and admins)',
    tag: 'Projects',
    responses: { 204: { description: 'Removed' }, 403: forbidden, 404: notFound },
  },
  'workflow_statuses.index': {
    summary: "A project's workflow statuses in board order",
    tag: 'Workflow',
    responses: { 200: { description: 'All statuses', schema: page('WorkflowStatus') } },
  },
  'workflow_statuses.store': {
    summary: 'Add a status (leads and admins)',
    tag: 'Workflow',
    body: createStatusValidator,
    responses: {
      201: { description: 'The status', schema: resource('WorkflowStatus') },
      403: forbidden,
      409: { description: 'Name taken (E_STATUS_NAME_TAKEN)' },
    },
  },
  'workflow_statuses.update': {
    summary: 'Rename, recategorize or reorder a status (leads and admins)',
    tag: 'Workflow',
    body: updateStatusValidator,
    responses: {
      200: { description: 'The status', schema: resource('WorkflowStatus') },
      403: forbidden,
      404: notFound,
      409: { description: 'Name taken (E_STATUS_NAME_TAKEN)' },
    },
  },
  'workflow_statuses.destroy': {
    summary: 'Remove an unused status (leads and admins)',
    tag: 'Workflow',
    responses: {
      204: { description: 'Removed' },
      403: forbidden,
      404: notFound,
      409: { description: 'Tasks use it (E_STATUS_IN_USE), or it is the last (E_LAST_STATUS)' },
    },
  },
  'tasks.index': {
    summary: "A project's tasks in board order, filtered",
    tag: 'Tasks',
    query: listTasksValidator,
    responses: { 200: { description: 'A page of tasks', schema: page('Task') }, 404: notFound },
  },
  'tasks.store': {
    summary: 'Create a task (project members, leads, admins)',
    tag: 'Tasks',
    body: createTaskValidator,
    idempotent: true,
    responses: {
      201: { description: 'The task (ETag: its version)', schema: resource('Task') },
      403: forbidden,
      404: notFound,
      409: archived,
    },
  },
  'tasks.mine': {
    summary: 'Tasks assigned to the caller, across projects',
    tag: 'Tasks',
    query: listMyTasksValidator,
    responses: { 200: { description: 'A page of tasks', schema: page('Task') } },
  },
  'tasks.show': {
    summary: 'One task',
    tag: 'Tasks',
    responses: {
      200: { description: 'The task (ETag: its version)', schema: resource('Task') },
      404: notFound,
    },
  },
  'tasks.update': taskWrite(
    'Change a task; If-Match guards against lost updates',
    updateTaskValidator
  ),
  'tasks.status': taskWrite('Set the status by name or id', setTaskStatusValidator),
  'tasks.move': taskWrite(
    'Reorder on the board (between after_id and before_id) or move to another project',
    moveTaskValidator
  ),
  'tasks.destroy': {
    summary: 'Delete a task with its subtasks and comments (its creator, leads, admins)',
    tag: 'Tasks',
    responses: {
      204: { description: 'Deleted' },
      403: forbidden,
      404: notFound,
      409: { description: 'Stale If-Match (E_CONFLICT), or project archived' },
    },
  },
  'comments.index': {
    summary: "A task's comments, oldest first; deleted ones as tombstones",
    tag: 'Comments',
    query: listCommentsValidator,
    responses: { 200: { description: 'A page of comments', schema: page('Comment') } },
  },
  'comments.store': {
    summary: 'Comment on a task; <@id> mentions a member',
    tag: 'Comments',
    body: postCommentValidator,
    idempotent: true,
    responses: {
      201: { description: 'The comment', schema: resource('Comment') },
      403: forbidden,
      404: notFound,
      409: archived,
    },
  },
  'comments.update': {
    summary: 'Edit a comment (its author or an admin); the old text is kept as a revision',
    tag: 'Comments',
    body: editCommentValidator,
    responses: {
      200: { description: 'The comment', schema: resource('Comment') },
      403: forbidden,
      404: notFound,
    },
  },
  'comments.destroy': {
    summary: 'Delete a comment (its author or an admin)',
    tag: 'Comments',
    responses: { 204: { description: 'Deleted' }, 403: forbidden, 404: notFound },
  },
  'comments.revisions': {
    summary: 'What a comment said before each edit',
    tag: 'Comments',
    query: listCommentsValidator,
    responses: { 200: { description: 'A page of revisions', schema: page('Revision') } },
  },
  'activity_feed.index': {
    summary: "A project's activity, newest first, built from domain events",
    tag: 'Projects',
    query: activityFeedValidator,
    responses: { 200: { description: 'A page of entries', schema: page('ActivityEntry') } },
  },
})
