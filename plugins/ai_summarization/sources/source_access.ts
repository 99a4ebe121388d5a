import type { PluginCoreApi } from '#plugin-api'
import type { SummarySource } from '../summary_request.js'

/**
 * Whether the member whose API this is may read the source. An unknown
 * source and one they may not read are the same answer (false), so a
 * request never reveals what exists.
 */
export async function canReadSource(api: PluginCoreApi, source: SummarySource) {
  switch (source.kind) {
    case 'channel':
      return (await api.channels.get(source.channel_id)) !== null
    case 'thread': {
      if ((await api.channels.get(source.channel_id)) === null) {
        return false
      }
      // No call reads one message: a thread is known by what a thread query returns.
      const replies = await api.channels.messages(source.channel_id, {
        from: new Date(0),
        to: new Date(),
        thread_id: source.thread_id,
        limit: 1,
      })
      return replies.length > 0
    }
    case 'task':
      return (await api.tasks.get(source.task_id)) !== null
    case 'project_week':
      return (await api.projects.get(source.project_id)) !== null
  }
}
