import { DomainEvent } from '#events/domain_event'

/*
 * Domain events of the work module (payload version 1 each). Every task
 * and comment event names its project, so the activity feed and project
 * rooms can route it without a lookup, and carries the task's key and
 * title as they were, so a reader can show it after the task is gone.
 */

export type FieldChanges = Record<string, { from: unknown; to: unknown }>

type TaskRef = {
  project_id: number
  task_id: number
  key: string
  title: string
}

export class ProjectCreated extends DomainEvent<{ project_id: number; key: string; name: string }> {
  static readonly type = 'project.created'
}

export class ProjectUpdated extends DomainEvent<{
  project_id: number
  key: string
  name: string
  changes: FieldChanges
}> {
  static readonly type = 'project.updated'
}

export class ProjectArchived extends DomainEvent<{
  project_id: number
  key: string
  name: string
}> {
  static readonly type = 'project.archived'
}

export class ProjectDeleted extends DomainEvent<{ project_id: number; key: string; name: string }> {
  static readonly type = 'project.deleted'
}

export class ProjectMemberAdded extends DomainEvent<{
  project_id: number
  user_id: number
  role: string
}> {
  static readonly type = 'project.member_added'
}

export class ProjectMemberRoleChanged extends DomainEvent<{
  project_id: number
  user_id: number
  from: string
  to: string
}> {
  static readonly type = 'project.member_role_changed'
}

export class ProjectMemberRemoved extends DomainEvent<{ project_id: number; user_id: number }> {
  static readonly type = 'project.member_removed'
}

export class TaskCreated extends DomainEvent<
  TaskRef & { status: string; assignee_ids: number[]; parent_id: number | null }
> {
  static readonly type = 'task.created'
}

export class TaskUpdated extends DomainEvent<TaskRef & { changes: FieldChanges }> {
  static readonly type = 'task.updated'
}

export class TaskStatusChanged extends DomainEvent<
  TaskRef & { from: string; to: string; category: string }
> {
  static readonly type = 'task.status_changed'
}

/** `assignee_ids` were added; `current_assignee_ids` is the list after the change. */
export class TaskAssigned extends DomainEvent<
  TaskRef & { assignee_ids: number[]; current_assignee_ids: number[] }
> {
  static readonly type = 'task.assigned'
}

/** `assignee_ids` were removed; `current_assignee_ids` is the list after the change. */
export class TaskUnassigned extends DomainEvent<
  TaskRef & { assignee_ids: number[]; current_assignee_ids: number[] }
> {
  static readonly type = 'task.unassigned'
}

/** Its place on the board changed, within its project. */
export class TaskReordered extends DomainEvent<TaskRef & { position: number }> {
  static readonly type = 'task.reordered'
}

/** It went to another project (with its subtasks), under a new key. */
export class TaskMoved extends DomainEvent<
  TaskRef & { from_project_id: number; from_key: string }
> {
  static readonly type = 'task.moved'
}

export class TaskDeleted extends DomainEvent<TaskRef> {
  static readonly type = 'task.deleted'
}

export class CommentPosted extends DomainEvent<
  TaskRef & { comment_id: number; mention_ids: number[] }
> {
  static readonly type = 'comment.posted'
}

export class CommentEdited extends DomainEvent<
  TaskRef & { comment_id: number; mention_ids: number[] }
> {
  static readonly type = 'comment.edited'
}

export class CommentDeleted extends DomainEvent<TaskRef & { comment_id: number }> {
  static readonly type = 'comment.deleted'
}
