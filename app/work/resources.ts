import type ActivityEntry from '#work/models/activity_entry'
import type Task from '#work/models/task'
import type Comment from '#work/models/comment'
import type CommentRevision from '#work/models/comment_revision'
import Project from '#work/models/project'
import WorkflowStatus from '#work/models/workflow_status'
import { TaskAssignees } from '#work/services/task_assignees'

/*
 * The work module's resources as the API shows them (snake_case).
 */

export function projectResource(project: Project) {
  return {
    id: project.id,
    key: project.key,
    name: project.name,
    description: project.description,
    status: project.status,
    start_date: project.startDate,
    end_date: project.endDate,
    lead_id: project.leadId,
    created_by: project.createdById,
    archived_at: project.archivedAt?.toISO() ?? null,
    created_at: project.createdAt.toISO(),
    updated_at: project.updatedAt.toISO(),
  }
}

export function statusResource(status: WorkflowStatus) {
  return {
    id: status.id,
    name: status.name,
    category: status.category,
    position: status.position,
  }
}

export function projectMemberResource(row: Record<string, any>) {
  return {
    user_id: row.user_id,
    role: row.role,
    email: row.email,
    full_name: row.full_name,
    status: row.status,
    added_at: new Date(row.created_at).toISOString(),
  }
}

/**
 * Tasks with their key, status and assignees, loaded for the whole list
 * at once (at most three queries, whatever the page size). Projects the
 * caller already holds are not read again.
 */
export async function taskResources(tasks: Task[], known: Project[] = []) {
  const keys = new Map(known.map((project) => [project.id, project.key]))
  const projectIds = [...new Set(tasks.map((task) => task.projectId))].filter((id) => !keys.has(id))
  const statusIds = [...new Set(tasks.map((task) => task.statusId))]
  const [projects, statuses, assignees] = await Promise.all([
    projectIds.length ? Project.query().whereIn('id', projectIds).select('id', 'key') : [],
    statusIds.length ? WorkflowStatus.query().whereIn('id', statusIds) : [],
    TaskAssignees.of(tasks.map((task) => task.id)),
  ])
  projects.forEach((project) => keys.set(project.id, project.key))
  const statusById = new Map(statuses.map((status) => [status.id, status]))
  return tasks.map((task) => {
    const status = statusById.get(task.statusId)!
    return {
      id: task.id,
      key: `${keys.get(task.projectId)}-${task.number}`,
      number: task.number,
      project_id: task.projectId,
      title: task.title,
      description: task.description,
      status: { id: status.id, name: status.name, category: status.category },
      priority: task.priority,
      assignee_ids: assignees.get(task.id) ?? [],
      due_date: task.dueDate,
      labels: task.labels,
      parent_id: task.parentId,
      position: task.position,
      version: task.version,
      created_by: task.createdById,
      completed_at: task.completedAt?.toISO() ?? null,
      created_at: task.createdAt.toISO(),
      updated_at: task.updatedAt.toISO(),
    }
  })
}

export async function taskResource(task: Task, known: Project[] = []) {
  const [resource] = await taskResources([task], known)
  return resource
}

/** A deleted comment stays in its thread, without its text. */
export function commentResource(comment: Comment) {
  const deleted = Boolean(comment.deletedAt)
  return {
    id: comment.id,
    task_id: comment.taskId,
    author_id: comment.authorId,
    body: deleted ? null : comment.body,
    mention_ids: comment.mentionIds,
    deleted,
    edited_at: comment.editedAt?.toISO() ?? null,
    deleted_at: comment.deletedAt?.toISO() ?? null,
    created_at: comment.createdAt.toISO(),
  }
}

export function revisionResource(revision: CommentRevision) {
  return {
    id: revision.id,
    body: revision.body,
    edited_by: revision.editedById,
    replaced_at: revision.createdAt.toISO(),
  }
}

export function activityEntryResource(entry: ActivityEntry, actorNames: Map<string, string>) {
  return {
    id: entry.id,
    actor: entry.actorId
      ? { id: Number(entry.actorId), full_name: actorNames.get(entry.actorId) ?? null }
      : null,
    verb: entry.verb,
    object: entry.object,
    changes: entry.changes,
    occurred_at: entry.occurredAt.toISO(),
  }
}
