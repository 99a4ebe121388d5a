import { PluginError } from '#plugin-api'
import { everyEntryFilter } from './ldap_filter.js'
import { normalizeDn } from './distinguished_name.js'
import { DEFAULTS, type LdapSettings } from './settings.js'

export type MappedRole = 'admin' | 'member' | 'guest'

/** The settings with their defaults, for one workspace's directory. */
export interface DirectoryConfig {
  url: string
  startTls: boolean
  tls: { rejectUnauthorized: boolean; ca?: string }
  /** Null: searches are anonymous. */
  service: { dn: string; password: string } | null
  userBaseDn: string
  userFilter: string
  syncFilter: string
  disabledFilter: string | null
  attributes: { username: string; email: string; fullName: string; uniqueId: string }
  /** Null when no group search is set up: roles then stay as they are. */
  groups: {
    baseDn: string
    filter: string
    /** Normalized group DN → role. */
    roles: Map<string, MappedRole>
  } | null
  defaultRole: MappedRole
  jit: boolean
  sync: {
    enabled: boolean
    creates: boolean
    everyMinutes: number
    maxDeactivationPercent: number
  }
  pageSize: number
  timeoutMs: number
}

/** Until the directory's address and where its users are is known, nobody can sign in with it. */
export function notConfigured() {
  return new PluginError(
    'E_LDAP_NOT_CONFIGURED',
    'Directory sign-in is not set up in this workspace yet',
    503
  )
}

export function directoryConfig(settings: LdapSettings): DirectoryConfig {
  if (!settings.url || !settings.user_base_dn) {
    throw notConfigured()
  }
  const userFilter = settings.user_filter ?? DEFAULTS.user_filter
  const mapping = settings.role_mapping ?? []
  return {
    url: settings.url,
    startTls: settings.start_tls ?? DEFAULTS.start_tls,
    tls: {
      rejectUnauthorized: settings.tls_reject_unauthorized ?? DEFAULTS.tls_reject_unauthorized,
      ca: settings.tls_ca_cert,
    },
    service:
      settings.bind_dn && settings.bind_password
        ? { dn: settings.bind_dn, password: settings.bind_password }
        : null,
    userBaseDn: settings.user_base_dn,
    userFilter,
    syncFilter: settings.sync_filter ?? everyEntryFilter(userFilter),
    disabledFilter: settings.disabled_filter ?? null,
    attributes: {
      username: settings.username_attribute ?? DEFAULTS.username_attribute,
      email: settings.email_attribute ?? DEFAULTS.email_attribute,
      fullName: settings.full_name_attribute ?? DEFAULTS.full_name_attribute,
      uniqueId: settings.unique_id_attribute ?? DEFAULTS.unique_id_attribute,
    },
    groups:
      settings.group_base_dn && mapping.length > 0
        ? {
            baseDn: settings.group_base_dn,
            filter: settings.group_filter ?? DEFAULTS.group_filter,
            roles: new Map(mapping.map((entry) => [normalizeDn(entry.group_dn), entry.role])),
          }
        : null,
    defaultRole: settings.default_role ?? DEFAULTS.default_role,
    jit: settings.jit ?? DEFAULTS.jit,
    sync: {
      enabled: settings.sync_enabled ?? DEFAULTS.sync_enabled,
      creates: settings.sync_creates ?? DEFAULTS.sync_creates,
      everyMinutes: settings.sync_every_minutes ?? DEFAULTS.sync_every_minutes,
      maxDeactivationPercent:
        settings.sync_max_deactivation_percent ?? DEFAULTS.sync_max_deactivation_percent,
    },
    pageSize: settings.page_size ?? DEFAULTS.page_size,
    timeoutMs: (settings.timeout_seconds ?? DEFAULTS.timeout_seconds) * 1000,
  }
}
