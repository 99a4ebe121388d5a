import type { PluginCoreApi } from '#plugin-api'

const PAGE_SIZE = 100

/** Full names by member id; a member the API does not return is "Member <id>". */
export async function authorNames(api: PluginCoreApi, ids: number[]) {
  const wanted = [...new Set(ids)]
  const names = new Map(wanted.map((id) => [id, `Member ${id}`]))
  for (let start = 0; start < wanted.length; start += PAGE_SIZE) {
    const batch = wanted.slice(start, start + PAGE_SIZE)
    const page = await api.members.list({ ids: batch, limit: batch.length })
    for (const member of page.items) {
      names.set(member.id, member.full_name)
    }
  }
  return names
}
