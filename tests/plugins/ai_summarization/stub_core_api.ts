import type {
  PluginActivityEntry,
  PluginChannel,
  PluginComment,
  PluginCoreApi,
  PluginMember,
  PluginMessage,
  PluginProject,
  PluginTask,
} from '#plugin-api'

const notInTheseTests = async (): Promise<never> => {
  throw new Error('Not in these tests')
}

/**
 * An in-memory PluginCoreApi for tests of the pure modules: a member
 * reads a channel only when listed in `channelMembers`, as the real API
 * narrows `as(memberId)`. Message queries honour the period (`to` excluded),
 * `thread_id` and `limit`, oldest first.
 */
export class StubCoreApi {
  members: PluginMember[] = []
  channels: PluginChannel[] = []
  channelMembers = new Map<number, number[]>()
  messages: PluginMessage[] = []
  tasks: PluginTask[] = []
  comments: PluginComment[] = []
  projects: PluginProject[] = []
  activity = new Map<number, PluginActivityEntry[]>()
  /** Whether a thread query returns the thread's first message too (the runtime's does). */
  threadQueryIncludesRoot = false

  as(memberId: number): PluginCoreApi {
    const readable = (channelId: number) =>
      this.channelMembers.get(channelId)?.includes(memberId) ?? false
    const api: PluginCoreApi = {
      members: {
        list: async (query) => ({
          items: this.members.filter((member) => !query?.ids || query.ids.includes(member.id)),
          next_cursor: null,
        }),
        get: async (id) => this.members.find((member) => member.id === id) ?? null,
        findByEmail: async (email) =>
          this.members.find((member) => member.email === email.toLowerCase()) ?? null,
        provision: notInTheseTests,
        update: notInTheseTests,
        deactivate: notInTheseTests,
        reactivate: notInTheseTests,
      },
      sessions: { issue: notInTheseTests },
      projects: {
        list: async () => ({ items: this.projects, next_cursor: null }),
        get: async (id) => this.projects.find((project) => project.id === id) ?? null,
        activity: async (projectId, range) =>
          (this.activity.get(projectId) ?? []).filter((entry) => {
            const at = new Date(entry.occurred_at!)
            return at >= range.from && at < range.to
          }),
      },
      tasks: {
        list: async () => ({ items: this.tasks, next_cursor: null }),
        get: async (id) => this.tasks.find((task) => task.id === id) ?? null,
        comments: async (taskId) => this.comments.filter((comment) => comment.task_id === taskId),
        update: notInTheseTests,
      },
      channels: {
        get: async (id) =>
          readable(id) ? (this.channels.find((channel) => channel.id === id) ?? null) : null,
        messages: async (channelId, query) => {
          if (!readable(channelId)) {
            throw new Error(`Member ${memberId} cannot read channel ${channelId}`)
          }
          return this.messages
            .filter((message) => {
              const at = new Date(message.created_at!)
              return (
                message.channel_id === channelId &&
                at >= query.from &&
                at < query.to &&
                (query.thread_id === undefined ||
                  message.thread_id === query.thread_id ||
                  (this.threadQueryIncludesRoot && message.id === query.thread_id))
              )
            })
            .slice(0, query.limit ?? 100)
        },
      },
      as: (other) => this.as(other),
    }
    return api
  }

  member(id: number, fullName: string): PluginMember {
    const member = {
      id,
      email: `m${id}@example.com`,
      full_name: fullName,
      role: 'member',
      status: 'active',
    } as const
    this.members.push(member)
    return member
  }

  channel(id: number, name: string, memberIds: number[]) {
    this.channels.push({ id, type: 'private', name, topic: null, archived: false })
    this.channelMembers.set(id, memberIds)
  }

  message(
    channelId: number,
    senderId: number,
    body: string | null,
    at: string,
    extra: Partial<PluginMessage> = {}
  ) {
    const message: PluginMessage = {
      id: this.messages.length + 1,
      channel_id: channelId,
      seq: this.messages.length + 1,
      thread_id: null,
      sender_id: senderId,
      body,
      deleted: body === null,
      created_at: at,
      ...extra,
    }
    this.messages.push(message)
    return message
  }
}
