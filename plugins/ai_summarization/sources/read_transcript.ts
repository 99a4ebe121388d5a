import type { PluginCoreApi, PluginMessage } from '#plugin-api'
import type { Transcript, TranscriptEntry } from '../transcript.js'
import type { SummarySource } from '../summary_request.js'
import { channelMessages } from './channel_messages.js'
import { authorNames } from './author_names.js'
import { activityMemberIds, activitySentence } from './activity_sentence.js'

/** How far before its first reply a thread's first message is looked for (see threadRoot). */
const THREAD_ROOT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

export interface SourceContent {
  transcript: Transcript
  /** More content than one summary reads: the oldest part was kept. */
  truncated: boolean
}

/**
 * The source's content as `api` lets its member read it, or null when
 * they cannot (any more). Always called with `ctx.api.as(requesterId)`:
 * what the requester may not read never enters the transcript.
 */
export async function readTranscript(
  api: PluginCoreApi,
  source: SummarySource
): Promise<SourceContent | null> {
  switch (source.kind) {
    case 'channel':
      return channelTranscript(api, source)
    case 'thread':
      return threadTranscript(api, source)
    case 'task':
      return taskTranscript(api, source.task_id)
    case 'project_week':
      return projectWeekTranscript(api, source)
  }
}

async function channelTranscript(
  api: PluginCoreApi,
  source: Extract<SummarySource, { kind: 'channel' }>
): Promise<SourceContent | null> {
  const channel = await api.channels.get(source.channel_id)
  if (!channel) {
    return null
  }
  const { messages, truncated } = await channelMessages(api, channel.id, {
    from: new Date(source.from),
    to: new Date(source.to),
  })
  return {
    transcript: {
      title: `the messages of ${channelName(channel)} from ${source.from} to ${source.to}`,
      entries: await messageEntries(api, messages),
    },
    truncated,
  }
}

async function threadTranscript(
  api: PluginCoreApi,
  source: Extract<SummarySource, { kind: 'thread' }>
): Promise<SourceContent | null> {
  const channel = await api.channels.get(source.channel_id)
  if (!channel) {
    return null
  }
  const { messages: thread, truncated } = await channelMessages(api, channel.id, {
    from: new Date(0),
    to: new Date(),
    thread_id: source.thread_id,
  })
  if (thread.length === 0) {
    return null
  }
  const root = thread.some((message) => message.id === source.thread_id)
    ? []
    : await threadRoot(api, channel.id, source.thread_id, thread[0])
  return {
    transcript: {
      title: `a thread in ${channelName(channel)}`,
      entries: await messageEntries(api, [...root, ...thread]),
    },
    truncated,
  }
}

/**
 * The API does not promise that a thread query includes the thread's
 * first message, and reads no single message: when it is missing, it is
 * looked for among the channel's messages of the week before the first reply.
 */
async function threadRoot(
  api: PluginCoreApi,
  channelId: number,
  threadId: number,
  firstReply: PluginMessage
) {
  const firstReplyAt = new Date(firstReply.created_at ?? Date.now())
  const { messages } = await channelMessages(api, channelId, {
    from: new Date(firstReplyAt.getTime() - THREAD_ROOT_WINDOW_MS),
    to: new Date(firstReplyAt.getTime() + 1),
  })
  return messages.filter((message) => message.id === threadId)
}

async function taskTranscript(api: PluginCoreApi, taskId: number): Promise<SourceContent | null> {
  const task = await api.tasks.get(taskId)
  if (!task) {
    return null
  }
  const allComments = await api.tasks.comments(task.id)
  const comments = allComments.filter((comment) => !comment.deleted && comment.body)
  const names = await authorNames(
    api,
    comments.map((comment) => comment.author_id)
  )
  const description: TranscriptEntry[] = task.description
    ? [{ author: 'Task description', at: task.created_at, text: task.description }]
    : []
  return {
    transcript: {
      title: `the comments on task ${task.key} "${task.title}" (status ${task.status.name})`,
      entries: [
        ...description,
        ...comments.map((comment) => ({
          author: names.get(comment.author_id)!,
          at: comment.created_at,
          text: comment.body!,
        })),
      ],
    },
    truncated: false,
  }
}

async function projectWeekTranscript(
  api: PluginCoreApi,
  source: Extract<SummarySource, { kind: 'project_week' }>
): Promise<SourceContent | null> {
  const project = await api.projects.get(source.project_id)
  if (!project) {
    return null
  }
  const activity = await api.projects.activity(project.id, {
    from: new Date(source.from),
    to: new Date(source.to),
  })
  const names = await authorNames(api, activityMemberIds(activity))
  return {
    transcript: {
      title: `what happened in project ${project.key} "${project.name}" in the week of ${source.from.slice(0, 10)}`,
      entries: activity
        .sort((a, b) => (a.occurred_at ?? '').localeCompare(b.occurred_at ?? '') || a.id - b.id)
        .map((entry) => ({
          author: entry.actor?.full_name ?? 'Tandem',
          at: entry.occurred_at,
          text: activitySentence(entry, names),
        })),
    },
    truncated: false,
  }
}

async function messageEntries(
  api: PluginCoreApi,
  messages: PluginMessage[]
): Promise<TranscriptEntry[]> {
  const shown = messages.filter((message) => !message.deleted && message.body)
  const names = await authorNames(
    api,
    shown.map((message) => message.sender_id)
  )
  return shown.map((message) => ({
    author: names.get(message.sender_id)!,
    at: message.created_at,
    text: message.body!,
  }))
}

function channelName(channel: { type: string; name: string | null }) {
  return channel.name ? `#${channel.name}` : 'a direct conversation'
}
