import type { DirectoryConfig, MappedRole } from './directory_config.js'
import { normalizeDn } from './distinguished_name.js'

const RANK: Record<MappedRole, number> = { guest: 0, member: 1, admin: 2 }

/**
 * The role the directory gives a member: the highest of their mapped
 * groups, else the default role. Null when no group mapping is set up:
 * then the directory does not decide roles at all.
 */
export function directoryRole(
  config: DirectoryConfig,
  groupDns: string[] | null
): MappedRole | null {
  if (!config.groups || groupDns === null) {
    return null
  }
  let role: MappedRole | null = null
  for (const dn of groupDns) {
    const mapped = config.groups.roles.get(safeNormalize(dn))
    if (mapped && (role === null || RANK[mapped] > RANK[role])) {
      role = mapped
    }
  }
  return role ?? config.defaultRole
}

function safeNormalize(dn: string) {
  try {
    return normalizeDn(dn)
  } catch {
    return dn
  }
}
