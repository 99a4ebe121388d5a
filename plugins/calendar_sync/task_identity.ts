import type { PluginContext, PluginTask } from '#plugin-api'

/**
 * How Tandem tasks are named on a calendar: the same UID in the feed and
 * on a synced CalDAV calendar, stable for the task's life and distinct per
 * tenant (two workspaces may sync into one personal calendar).
 */
export interface TaskIdentity {
  tenantSlug: string
  uid(taskId: number): string
  /** The task's id if `uid` names a task of this tenant, else null. */
  taskIdOf(uid: string): number | null
  /** The object's file name in a CalDAV collection. */
  fileName(taskId: number): string
  /** Where the task opens in Tandem. */
  link(task: Pick<PluginTask, 'id' | 'project_id'>): string
}

export function taskIdentity(context: Pick<PluginContext, 'tenant' | 'url'>): TaskIdentity {
  const slug = context.tenant.slug
  const suffix = `@${slug}.tandem`
  return {
    tenantSlug: slug,
    uid: (taskId) => `task-${taskId}${suffix}`,
    taskIdOf(uid) {
      const match = /^task-(\d+)@(.+)$/.exec(uid)
      return match && `@${match[2]}` === suffix ? Number(match[1]) : null
    },
    fileName: (taskId) => `tandem-${slug}-task-${taskId}.ics`,
    link: (task) => context.url(`/projects/${task.project_id}/tasks/${task.id}`),
  }
}
