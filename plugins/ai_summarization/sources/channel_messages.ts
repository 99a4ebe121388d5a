import type { PluginCoreApi, PluginMessage } from '#plugin-api'

// Messages asked for per call; the API returns them oldest first.
const PAGE_SIZE = 500
/** The most messages one summary reads: past it, the rest of the period is left out. */
export const MAX_MESSAGES = 5000

/**
 * A channel's (or thread's) messages in a period, oldest first. The API
 * has no cursor for messages, so pages follow each other by time: the
 * next page starts at the last message's instant, and messages seen on
 * both pages are dropped by id.
 */
export async function channelMessages(
  api: PluginCoreApi,
  channelId: number,
  query: { from: Date; to: Date; thread_id?: number }
): Promise<{ messages: PluginMessage[]; truncated: boolean }> {
  const byId = new Map<number, PluginMessage>()
  let from = query.from
  while (byId.size < MAX_MESSAGES) {
    const page = await api.channels.messages(channelId, { ...query, from, limit: PAGE_SIZE })
    const before = byId.size
    for (const message of page) {
      byId.set(message.id, message)
    }
    const lastAt = page.at(-1)?.created_at
    if (page.length < PAGE_SIZE || byId.size === before || !lastAt) {
      break
    }
    from = new Date(lastAt)
  }
  const messages = [...byId.values()].sort((a, b) => a.seq - b.seq || a.id - b.id)
  return { messages: messages.slice(0, MAX_MESSAGES), truncated: messages.length > MAX_MESSAGES }
}
