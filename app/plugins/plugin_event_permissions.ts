import type { PluginPermission } from '#plugins/plugin_api'

/**
 * The read permission a plugin needs to receive an event: an event says
 * as much as the data it describes. Types of any other domain (sessions,
 * plugins themselves) are never delivered to plugins.
 */
const NEEDED: Record<string, PluginPermission> = {
  project: 'projects:read',
  task: 'tasks:read',
  comment: 'tasks:read',
  channel: 'messages:read',
  message: 'messages:read',
  member: 'users:read',
}

export function mayReceive(type: string, permissions: ReadonlySet<PluginPermission>) {
  const needed = NEEDED[type.split('.')[0]]
  return needed !== undefined && permissions.has(needed)
}
