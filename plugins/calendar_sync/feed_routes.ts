import {
  type PluginContext,
  type PluginProject,
  type PluginRequest,
  type PluginRoute,
  reply,
} from '#plugin-api'
import { dueTasksOf } from './due_tasks.js'
import { feedCalendar } from './feed_calendar.js'
import { feedOf, issueFeedToken, memberOfFeedToken, revokeFeed } from './feed_tokens.js'
import { memberOf, notFound } from './plugin_errors.js'
import type { CalendarSyncSettings } from './settings.js'
import { taskIdentity } from './task_identity.js'

type Route = PluginRoute<CalendarSyncSettings>

const feedUrl = (context: PluginContext<any>, token: string) =>
  context.url(`/api/v1/plugins/${context.plugin.id}/feeds/${token}.ics`)

export const feedRoutes: Route[] = [
  {
    method: 'get',
    path: '/feed',
    async handler(context, request) {
      const feed = await feedOf(context.db, memberOf(request).id)
      return { active: feed !== null, created_at: feed?.created_at ?? null }
    },
  },
  {
    // Creates or rotates: the URL is shown only now, since only its hash is kept.
    method: 'post',
    path: '/feed',
    async handler(context, request) {
      const token = await issueFeedToken(context.db, memberOf(request).id)
      return { url: feedUrl(context, token) }
    },
  },
  {
    method: 'delete',
    path: '/feed',
    async handler(context, request) {
      await revokeFeed(context.db, memberOf(request).id)
      return reply({ status: 204 })
    },
  },
  {
    method: 'get',
    path: '/feeds/:file',
    auth: 'public',
    handler: serveFeed,
  },
]

async function serveFeed(context: PluginContext<CalendarSyncSettings>, request: PluginRequest) {
  const token = /^([\w-]{43})\.ics$/.exec(request.params.file ?? '')?.[1]
  const memberId = token ? await memberOfFeedToken(context.db, token) : null
  const member = memberId === null ? null : await context.api.members.get(memberId)
  if (!member || member.status !== 'active') {
    throw notFound()
  }
  const [tasks, projects] = await Promise.all([
    dueTasksOf(context.api, member.id),
    visibleProjects(context, member.id),
  ])
  const body = feedCalendar({
    memberName: member.full_name,
    tasks,
    projects,
    identity: taskIdentity(context),
  })
  return reply({
    body,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      // The URL is a credential: keep it out of shared caches.
      'cache-control': 'private, max-age=300',
      'content-disposition': 'inline; filename="tandem.ics"',
    },
  })
}

/** Projects the member can read, without the archived ones (their dates are history). */
async function visibleProjects(context: PluginContext<any>, memberId: number) {
  const api = context.api.as(memberId)
  const projects: PluginProject[] = []
  let cursor: string | null = null
  do {
    const page = await api.projects.list({ cursor, limit: 100 })
    projects.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return projects.filter((project) => !project.archived_at)
}
