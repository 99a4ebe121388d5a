import vine from '@vinejs/vine'
import type { FieldContext, Infer } from '@vinejs/vine/types'
import { compileFilter, fillFilterTemplate } from './ldap_filter.js'
import { parseDn } from './distinguished_name.js'

/** A DN as RFC 4514 writes it: `ou=people,dc=acme,dc=com`. */
const distinguishedName = vine.createRule((value: unknown, _options: undefined, field) => {
  if (typeof value !== 'string') {
    return
  }
  try {
    parseDn(value)
  } catch (error) {
    field.report(`Not a distinguished name: ${(error as Error).message}`, 'ldapDn', field)
  }
})

/**
 * An RFC 4515 filter, optionally a template of the given placeholders
 * (`required` ones must appear): checked by compiling it as a search
 * would, so a typo is refused here rather than at the first sign-in.
 */
const filterTemplate = vine.createRule(
  (
    value: unknown,
    options: { placeholders: string[]; required: string[] },
    field: FieldContext
  ) => {
    if (typeof value !== 'string') {
      return
    }
    const missing = options.required.filter((name) => !value.includes(`{{${name}}}`))
    if (missing.length > 0) {
      field.report(
        `The filter must contain ${missing.map((name) => `{{${name}}}`).join(' and ')}`,
        'ldapFilterPlaceholder',
        field
      )
      return
    }
    const unknown = [...value.matchAll(/\{\{([^}]*)\}\}/g)]
      .map((match) => match[1])
      .filter((name) => !options.placeholders.includes(name))
    if (unknown.length > 0) {
      field.report(`Unknown placeholder {{${unknown[0]}}}`, 'ldapFilterPlaceholder', field)
      return
    }
    const sample = Object.fromEntries(options.placeholders.map((name) => [name, 'sample']))
    try {
      compileFilter(fillFilterTemplate(value, sample))
    } catch (error) {
      field.report(`Not an LDAP filter: ${(error as Error).message}`, 'ldapFilter', field)
    }
  }
)

/** An LDAP attribute description: a name (`mail`, `sAMAccountName`) or an OID. */
const attributeName = () =>
  vine
    .string()
    .trim()
    .regex(/^([a-zA-Z][a-zA-Z0-9-]*|\d+(\.\d+)+)$/)
    .maxLength(100)

const dn = () => vine.string().trim().minLength(1).maxLength(1000).use(distinguishedName())

/** Reports a problem of the whole object under one of its fields. */
function reportOn(field: FieldContext, name: string, message: string, rule: string) {
  const parent = field.getFieldPath()
  const path = parent ? `${parent}.${name}` : name
  field.report(message, rule, {
    ...field,
    name,
    wildCardPath: path,
    isArrayMember: false,
    getFieldPath: () => path,
  })
}

/**
 * Rules across fields. A bind DN without a password would be an
 * "unauthenticated bind" (RFC 4513 section 5.1.2), which Active Directory
 * treats as anonymous: refused, like empty passwords at sign-in.
 */
const consistentConnection = vine.createRule((value: unknown, _options: undefined, field) => {
  if (!vine.helpers.isObject(value)) {
    return
  }
  const settings = value as Record<string, unknown>
  if (settings.start_tls === true && String(settings.url ?? '').startsWith('ldaps:')) {
    reportOn(field, 'start_tls', 'StartTLS is for ldap:// URLs; ldaps:// is TLS already', 'ldapTls')
  }
  if (settings.bind_dn && !settings.bind_password) {
    reportOn(field, 'bind_password', 'A bind DN needs its password', 'required')
  }
  const mapping = settings.role_mapping
  if (Array.isArray(mapping) && mapping.length > 0 && !settings.group_base_dn) {
    reportOn(field, 'group_base_dn', 'A role mapping needs the base DN of the groups', 'required')
  }
  if (settings.bind_password && !settings.bind_dn) {
    reportOn(field, 'bind_dn', 'A bind password needs its bind DN', 'required')
  }
})

/**
 * The workspace's directory (README: Settings). Every field is optional
 * so the plugin can be installed first and configured after: until `url`
 * and `user_base_dn` are set, sign-ins answer 503 E_LDAP_NOT_CONFIGURED
 * and the sync does nothing.
 */
export const settingsSchema = vine
  .object({
    /** ldap://host[:389] or ldaps://host[:636]; no path, no query. */
    url: vine
      .string()
      .trim()
      .maxLength(500)
      .regex(/^ldaps?:\/\/(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)(:\d{1,5})?\/?$/)
      .optional(),
    /** Upgrade an ldap:// connection with StartTLS (RFC 4513 section 3) before binding. */
    start_tls: vine.boolean().optional(),
    /** Refuse a server certificate that does not verify (ldaps, StartTLS). Default true. */
    tls_reject_unauthorized: vine.boolean().optional(),
    /** PEM of the CA (or CAs) that signed the server certificate, when not a public one. */
    tls_ca_cert: vine
      .string()
      .trim()
      .maxLength(100_000)
      .regex(/-----BEGIN CERTIFICATE-----/)
      .optional(),
    /** The service account the plugin searches with; without it, searches are anonymous. */
    bind_dn: dn().optional(),
    /** Stored encrypted, shown masked. */
    bind_password: vine.string().minLength(1).maxLength(1000).optional(),

    user_base_dn: dn().optional(),
    /** `{{username}}` is replaced by the RFC 4515-escaped user name typed at sign-in. */
    user_filter: vine
      .string()
      .trim()
      .maxLength(2000)
      .use(filterTemplate({ placeholders: ['username'], required: ['username'] }))
      .optional(),
    /** Which entries the sync reads; default: `user_filter` with `{{username}}` as `*`. */
    sync_filter: vine
      .string()
      .trim()
      .maxLength(2000)
      .use(filterTemplate({ placeholders: [], required: [] }))
      .optional(),
    /**
     * Matches the entries that are disabled: `(employeeType=disabled)`, or on
     * Active Directory `(userAccountControl:1.2.840.113556.1.4.803:=2)`.
     */
    disabled_filter: vine
      .string()
      .trim()
      .maxLength(2000)
      .use(filterTemplate({ placeholders: [], required: [] }))
      .optional(),
    username_attribute: attributeName().optional(),
    email_attribute: attributeName().optional(),
    full_name_attribute: attributeName().optional(),
    /** Stays the same when an entry is renamed or moved: entryUUID (OpenLDAP), objectGUID (AD). */
    unique_id_attribute: attributeName().optional(),

    group_base_dn: dn().optional(),
    /** `{{dn}}` (the user's DN) and `{{username}}` are replaced, RFC 4515-escaped. */
    group_filter: vine
      .string()
      .trim()
      .maxLength(2000)
      .use(filterTemplate({ placeholders: ['dn', 'username'], required: [] }))
      .optional(),
    /** The highest role of the member's mapped groups wins; owners are never changed. */
    role_mapping: vine
      .array(
        vine.object({
          group_dn: dn(),
          role: vine.enum(['admin', 'member', 'guest'] as const),
        })
      )
      .maxLength(100)
      .optional(),
    /** The role of a member in no mapped group (with a mapping), and of members created. */
    default_role: vine.enum(['admin', 'member', 'guest'] as const).optional(),

    /** Create a member at the first sign-in of a directory user who has none. Default true. */
    jit: vine.boolean().optional(),
    /** The scheduled directory sync. Default true. */
    sync_enabled: vine.boolean().optional(),
    /** Create members for every directory user the sync finds. Default false. */
    sync_creates: vine.boolean().optional(),
    sync_every_minutes: vine.number().withoutDecimals().range([5, 1440]).optional(),
    /** The safety rule (README): a sync deactivates at most this share of the linked members. */
    sync_max_deactivation_percent: vine.number().withoutDecimals().range([1, 100]).optional(),
    page_size: vine.number().withoutDecimals().range([1, 5000]).optional(),
    /** Per directory operation (connect, bind, each search page). */
    timeout_seconds: vine.number().withoutDecimals().range([1, 120]).optional(),
  })
  .use(consistentConnection())

export type LdapSettings = Infer<typeof settingsSchema>

export const DEFAULTS = {
  start_tls: false,
  tls_reject_unauthorized: true,
  user_filter: '(&(objectClass=inetOrgPerson)(uid={{username}}))',
  username_attribute: 'uid',
  email_attribute: 'mail',
  full_name_attribute: 'cn',
  unique_id_attribute: 'entryUUID',
  group_filter: '(&(objectClass=groupOfNames)(member={{dn}}))',
  default_role: 'member' as const,
  jit: true,
  sync_enabled: true,
  sync_creates: false,
  sync_every_minutes: 60,
  sync_max_deactivation_percent: 10,
  page_size: 500,
  timeout_seconds: 10,
}
