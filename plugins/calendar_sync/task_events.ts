import type { PluginContext, PluginEvent } from '#plugin-api'
import { connectedMembers } from './connections.js'
import type { CalendarSyncSettings } from './settings.js'
import { membersSyncingTask } from './synced_items.js'
import { requestSync } from './sync_requests.js'

/**
 * `task.*`: whoever may see a change on their calendar gets a sync: the
 * task's assignees before and after the change (assignment events list
 * both), its current assignees, and whoever has it on their calendar now
 * (a deleted task, or one they lost access to, has no other trace).
 */
export async function onTaskEvent(
  context: PluginContext<CalendarSyncSettings>,
  event: PluginEvent
) {
  const taskId = Number(event.data.task_id)
  if (!Number.isInteger(taskId)) {
    return
  }
  const candidates = new Set<number>([
    ...ids(event.data.assignee_ids),
    ...ids(event.data.current_assignee_ids),
    ...(await membersSyncingTask(context.db, taskId)),
  ])
  if (event.type !== 'task.deleted') {
    const task = await context.api.tasks.get(taskId)
    task?.assignee_ids.forEach((id) => candidates.add(id))
  }
  for (const memberId of await connectedMembers(context.db, [...candidates])) {
    await requestSync(context, memberId)
  }
}

/** `project.member_removed`: the member may have lost sight of tasks on their calendar. */
export async function onProjectMemberRemoved(
  context: PluginContext<CalendarSyncSettings>,
  event: PluginEvent
) {
  const [memberId] = await connectedMembers(context.db, ids([event.data.user_id]))
  if (memberId !== undefined) {
    await requestSync(context, memberId)
  }
}

function ids(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : []
}
