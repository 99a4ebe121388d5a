import db from '@adonisjs/lucid/services/db'
import type { StoredEvent } from '#events/domain_event'
import type { Subscriber } from '#events/event_subscribers'
import { TenantContext } from '#tenancy/tenant_context'
import type { FieldChanges } from '#work/events'
import type { ActivityObject } from '#work/models/activity_entry'

interface Projected {
  projectId: number
  verb: string
  object: ActivityObject
  changes: FieldChanges | null
}

type Payload = Record<string, any>

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b)

function task(payload: Payload): ActivityObject {
  return { type: 'task', id: payload.task_id, key: payload.key, title: payload.title }
}

function project(payload: Payload): ActivityObject {
  return { type: 'project', id: payload.project_id, key: payload.key, name: payload.name }
}

function comment(payload: Payload): ActivityObject {
  return { type: 'comment', id: payload.comment_id, task: task(payload) }
}

const entry = (
  payload: Payload,
  verb: string,
  object: ActivityObject,
  changes: FieldChanges | null = null
): Projected[] => [{ projectId: payload.project_id, verb, object, changes }]

/**
 * What each event adds to project feeds. Board reorders are left out:
 * they are noise to a reader.
 */
const PROJECTIONS: Record<string, (payload: Payload) => Projected[]> = {
  'project.created': (p) => entry(p, 'created', project(p)),
  'project.updated': (p) => {
    // Archiving has its own entry.
    const changes = { ...(p.changes as FieldChanges) }
    delete changes.status
    return Object.keys(changes).length ? entry(p, 'updated', project(p), changes) : []
  },
  'project.archived': (p) => entry(p, 'archived', project(p)),
  'project.member_added': (p) =>
    entry(
      p,
      'added_member',
      { type: 'member', id: p.user_id },
      { role: { from: null, to: p.role } }
    ),
  'project.member_role_changed': (p) =>
    entry(
      p,
      'changed_member_role',
      { type: 'member', id: p.user_id },
      { role: { from: p.from, to: p.to } }
    ),
  'project.member_removed': (p) => entry(p, 'removed_member', { type: 'member', id: p.user_id }),
  'task.created': (p) => entry(p, 'created', task(p)),
  'task.updated': (p) => entry(p, 'updated', task(p), p.changes),
  'task.status_changed': (p) =>
    entry(p, 'changed_status', task(p), { status: { from: p.from, to: p.to } }),
  'task.assigned': (p) =>
    entry(p, 'assigned', task(p), {
      assignee_ids: {
        from: p.current_assignee_ids.filter((id: number) => !p.assignee_ids.includes(id)),
        to: p.current_assignee_ids,
      },
    }),
  'task.unassigned': (p) =>
    entry(p, 'unassigned', task(p), {
      assignee_ids: {
        from: sorted([...p.current_assignee_ids, ...p.assignee_ids]),
        to: p.current_assignee_ids,
      },
    }),
  'task.moved': (p) => {
    const changes = {
      project_id: { from: p.from_project_id, to: p.project_id },
      key: { from: p.from_key, to: p.key },
    }
    return [
      ...entry({ project_id: p.from_project_id }, 'moved', task(p), changes),
      ...entry(p, 'moved', task(p), changes),
    ]
  },
  'task.deleted': (p) => entry(p, 'deleted', task(p)),
  'comment.posted': (p) => entry(p, 'commented', comment(p)),
  'comment.edited': (p) => entry(p, 'edited_comment', comment(p)),
  'comment.deleted': (p) => entry(p, 'deleted_comment', comment(p)),
}

/**
 * Builds project activity feeds from the event log. Idempotent on the
 * event id, so a redelivered event adds nothing.
 */
export const activityFeedProjector: Subscriber = {
  name: 'work.activity_feed',
  types: ['project.*', 'task.*', 'comment.*'],

  async handle(event: StoredEvent) {
    const table = TenantContext.table('activity_entries')
    if (event.type === 'project.deleted') {
      await db.from(table).where('project_id', Number(event.payload.project_id)).delete()
      return
    }
    const projected = PROJECTIONS[event.type]?.(event.payload) ?? []
    if (projected.length === 0) {
      return
    }
    await db
      .insertQuery()
      .table(table)
      .multiInsert(
        projected.map((item) => ({
          event_id: event.id,
          project_id: item.projectId,
          actor_id: event.actorId,
          verb: item.verb,
          object: JSON.stringify(item.object),
          changes: item.changes === null ? null : JSON.stringify(item.changes),
          occurred_at: event.occurredAt,
        }))
      )
      .knexQuery.onConflict(['event_id', 'project_id'])
      .ignore()
  },
}
