import type { PluginCoreApi, PluginTask } from '#plugin-api'

/**
 * The tasks assigned to a member that have a due date, read as that
 * member: what they cannot read never reaches their calendar.
 */
export async function dueTasksOf(api: PluginCoreApi, memberId: number): Promise<PluginTask[]> {
  const memberApi = api.as(memberId)
  const tasks: PluginTask[] = []
  let cursor: string | null = null
  do {
    const page = await memberApi.tasks.list({
      assignee_id: memberId,
      has_due_date: true,
      cursor,
      limit: 100,
    })
    tasks.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return tasks.filter((task) => task.due_date && task.assignee_ids.includes(memberId))
}
