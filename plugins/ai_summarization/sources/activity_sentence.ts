import type { PluginActivityEntry } from '#plugin-api'

/*
 * An activity feed entry in words, for a transcript: 'changed_status task
 * WEB-12 "Fix login" (status: To do → Done)' reads as 'changed the status
 * of task WEB-12 "Fix login": status To do → Done'. The actor is the
 * transcript entry's author.
 */

const VERBS: Record<string, string> = {
  changed_status: 'changed the status of',
  added_member: 'added',
  removed_member: 'removed',
  changed_member_role: 'changed the role of',
  edited_comment: 'edited',
  deleted_comment: 'deleted',
  commented: 'commented on',
}

export function activitySentence(entry: PluginActivityEntry, memberNames: Map<number, string>) {
  const verb = VERBS[entry.verb] ?? entry.verb.replaceAll('_', ' ')
  const object =
    entry.verb === 'commented' && isRecord(entry.object.task)
      ? describe(entry.object.task, memberNames)
      : describe(entry.object, memberNames)
  const changes = Object.entries(entry.changes ?? {})
    .map(([field, change]) => describeChange(field, change))
    .join('; ')
  return changes ? `${verb} ${object}: ${changes}` : `${verb} ${object}`
}

/** Members named in entries (added, removed...): their names are looked up with the authors'. */
export function activityMemberIds(entries: PluginActivityEntry[]) {
  return entries
    .filter((entry) => entry.object.type === 'member' && typeof entry.object.id === 'number')
    .map((entry) => entry.object.id as number)
}

function describe(object: Record<string, unknown>, memberNames: Map<number, string>): string {
  switch (object.type) {
    case 'task':
      return `task ${object.key} "${object.title}"`
    case 'project':
      return `the project ${object.key} "${object.name}"`
    case 'member':
      return memberNames.get(object.id as number) ?? `member ${object.id}`
    case 'comment':
      return isRecord(object.task)
        ? `a comment on ${describe(object.task, memberNames)}`
        : 'a comment'
    default:
      return String(object.type ?? 'something')
  }
}

function describeChange(field: string, change: unknown) {
  if (isRecord(change) && 'from' in change && 'to' in change) {
    return `${field.replaceAll('_', ' ')} ${value(change.from)} → ${value(change.to)}`
  }
  return `${field.replaceAll('_', ' ')} ${value(change)}`
}

function value(raw: unknown): string {
  if (raw === null || raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    return 'none'
  }
  if (Array.isArray(raw)) {
    return raw.map(value).join(', ')
  }
  if (isRecord(raw)) {
    return String(raw.name ?? raw.title ?? raw.key ?? raw.id ?? JSON.stringify(raw))
  }
  return String(raw)
}

function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw)
}
