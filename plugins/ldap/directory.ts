import { PluginError, type PluginPermission } from '#plugin-api'
import { Client, type Entry, ResultCodeError, type SearchOptions } from 'ldapts'
import type { ConnectionOptions } from 'node:tls'
import type { DirectoryConfig } from './directory_config.js'
import { bothFilters, compileFilter, escapeFilterValue, fillFilterTemplate } from './ldap_filter.js'

/** A person as the directory describes them, through the attribute mapping. */
export interface DirectoryPerson {
  dn: string
  /** Stable across renames and moves (entryUUID, objectGUID as hex). */
  uniqueId: string
  username: string
  email: string | null
  fullName: string | null
}

/**
 * Why the directory could not answer: `unreachable` (no connection, TLS
 * refused, timed out), `service_bind` (the service account was refused),
 * `search` (a search failed or came back incomplete: size or time limit,
 * wrong base DN).
 */
export type DirectoryFailure = 'unreachable' | 'tls' | 'service_bind' | 'search'

export class DirectoryError extends Error {
  constructor(
    readonly reason: DirectoryFailure,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** LDAP result codes (RFC 4511 appendix A) the plugin tells apart. */
const INVALID_CREDENTIALS = 49
const NO_SUCH_OBJECT = 32

/**
 * Active Directory's sub-codes of invalid credentials (`data 533` in the
 * diagnostic message): the password may be right, but the account cannot
 * sign in. Everything else counts as a wrong password.
 */
const AD_REFUSALS: Record<string, string> = {
  '530': 'logon_hours',
  '531': 'workstation',
  '532': 'password_expired',
  '533': 'disabled',
  '701': 'account_expired',
  '773': 'must_change_password',
  '775': 'locked',
}

/** The outcome of binding as a user: their password was right, or why not. */
export type PasswordCheck = { ok: true } | { ok: false; reason: string }

/**
 * One connection to a workspace's directory, bound as its service account
 * (or anonymous), over `ldapts`. Every operation has the configured time
 * limit; any failure is a DirectoryError.
 */
export class Directory {
  private constructor(
    private client: Client,
    private config: DirectoryConfig
  ) {}

  /**
   * The runtime's `network` permission guards `context.http`; LDAP runs
   * over its own sockets, so the plugin holds itself to the grant.
   */
  static async open(
    config: DirectoryConfig,
    permissions: ReadonlySet<PluginPermission>
  ): Promise<Directory> {
    if (!permissions.has('network')) {
      throw new PluginError(
        'E_PLUGIN_PERMISSION',
        'The LDAP plugin was not granted the network permission',
        403
      )
    }
    const client = await connect(config)
    const directory = new Directory(client, config)
    if (config.service) {
      try {
        await client.bind(config.service.dn, config.service.password)
      } catch (error) {
        await directory.close()
        throw connectionFailure(error, 'service_bind')
      }
    }
    return directory
  }

  /**
   * The entries the sign-in filter finds for a user name (at most 2:
   * anything but exactly one is a refusal).
   */
  async findByUsername(username: string): Promise<DirectoryPerson[]> {
    const filter = fillFilterTemplate(this.config.userFilter, { username })
    const { searchEntries } = await this.search(this.config.userBaseDn, {
      scope: 'sub',
      filter: compileFilter(filter),
      sizeLimit: 2,
      attributes: this.personAttributes(),
      explicitBufferAttributes: this.bufferAttributes(),
    })
    return searchEntries.map((entry) => this.person(entry))
  }

  /** Whether an entry with this unique id (as DirectoryPerson.uniqueId has it) is still in the user base. */
  async hasEntry(uniqueId: string): Promise<boolean> {
    if (uniqueId.startsWith('dn:')) {
      try {
        await this.client.search(uniqueId.slice(3), { scope: 'base', attributes: ['1.1'] })
        return true
      } catch (error) {
        if (error instanceof ResultCodeError && error.code === NO_SUCH_OBJECT) {
          return false
        }
        throw connectionFailure(error, 'search')
      }
    }
    const idAttribute = this.config.attributes.uniqueId
    const value = this.bufferAttributes().length > 0 ? Buffer.from(uniqueId, 'hex') : uniqueId
    const escaped =
      typeof value === 'string'
        ? escapeFilterValue(value)
        : [...value].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('')
    const { searchEntries } = await this.search(this.config.userBaseDn, {
      scope: 'sub',
      filter: compileFilter(`(${idAttribute}=${escaped})`),
      sizeLimit: 1,
      attributes: ['1.1'],
    })
    return searchEntries.length > 0
  }

  /** Whether the entry matches the disabled filter (evaluated by the server, so AD's bit rules work). */
  async isDisabled(dn: string): Promise<boolean> {
    if (!this.config.disabledFilter) {
      return false
    }
    const { searchEntries } = await this.search(dn, {
      scope: 'base',
      filter: compileFilter(this.config.disabledFilter),
      attributes: ['1.1'],
    })
    return searchEntries.length > 0
  }

  /** DNs of the groups the group filter finds for a person. */
  async groupsOf(person: DirectoryPerson): Promise<string[]> {
    if (!this.config.groups) {
      return []
    }
    const filter = fillFilterTemplate(this.config.groups.filter, {
      dn: person.dn,
      username: person.username,
    })
    const groups: string[] = []
    for await (const page of this.pages(this.config.groups.baseDn, filter, ['1.1'])) {
      groups.push(...page.map((entry) => entry.dn))
    }
    return groups
  }

  /** Every person the sync filter finds, page by page (RFC 2696 paged results). */
  async *people(): AsyncGenerator<DirectoryPerson[]> {
    for await (const page of this.pages(
      this.config.userBaseDn,
      this.config.syncFilter,
      this.personAttributes(),
      this.bufferAttributes()
    )) {
      yield page.map((entry) => this.person(entry))
    }
  }

  /** DNs of the entries both the sync filter and the disabled filter find. */
  async disabledDns(): Promise<Set<string>> {
    const disabled = new Set<string>()
    if (!this.config.disabledFilter) {
      return disabled
    }
    const filter = bothFilters(this.config.syncFilter, this.config.disabledFilter)
    for await (const page of this.pages(this.config.userBaseDn, filter, ['1.1'])) {
      page.forEach((entry) => disabled.add(entry.dn))
    }
    return disabled
  }

  /**
   * Binds as the user on a connection of its own (the service connection
   * keeps its identity), then unbinds. Callers never pass an empty
   * password: a simple bind with one is an "unauthenticated bind" that
   * Active Directory answers with success.
   */
  async checkPassword(dn: string, password: string): Promise<PasswordCheck> {
    if (password.trim() === '') {
      throw new Error('An empty password must be refused before any bind')
    }
    const client = await connect(this.config)
    try {
      await client.bind(dn, password)
      return { ok: true }
    } catch (error) {
      if (error instanceof ResultCodeError && error.code === INVALID_CREDENTIALS) {
        const subCode = /\bdata ([0-9a-f]{3})\b/i.exec(error.message)?.[1]
        return { ok: false, reason: (subCode && AD_REFUSALS[subCode]) ?? 'wrong_password' }
      }
      throw connectionFailure(error, 'unreachable')
    } finally {
      await client.unbind().catch(() => {})
    }
  }

  async close() {
    await this.client.unbind().catch(() => {})
  }

  private async search(base: string, options: SearchOptions) {
    try {
      return await this.client.search(base, options)
    } catch (error) {
      throw connectionFailure(error, 'search')
    }
  }

  private async *pages(
    base: string,
    filter: string,
    attributes: string[],
    explicitBufferAttributes: string[] = []
  ): AsyncGenerator<Entry[]> {
    const pages = this.client.searchPaginated(base, {
      scope: 'sub',
      filter: compileFilter(filter),
      attributes,
      explicitBufferAttributes,
      paged: { pageSize: this.config.pageSize },
    })
    while (true) {
      let page: IteratorResult<{ searchEntries: Entry[] }>
      try {
        page = await pages.next()
      } catch (error) {
        throw connectionFailure(error, 'search')
      }
      if (page.done) {
        return
      }
      yield page.value.searchEntries
    }
  }

  private personAttributes() {
    const { username, email, fullName, uniqueId } = this.config.attributes
    return [username, email, fullName, uniqueId]
  }

  /** AD's objectGUID is 16 bytes, not text. */
  private bufferAttributes() {
    const { uniqueId } = this.config.attributes
    return uniqueId.toLowerCase() === 'objectguid' ? [uniqueId] : []
  }

  private person(entry: Entry): DirectoryPerson {
    const { username, email, fullName, uniqueId } = this.config.attributes
    const id = attribute(entry, uniqueId)
    return {
      dn: entry.dn,
      // Without the unique id attribute (not readable, misnamed), the DN stands in.
      uniqueId: id === null ? `dn:${entry.dn}` : id,
      username: attribute(entry, username) ?? entry.dn,
      email: attribute(entry, email)?.trim().toLowerCase() || null,
      fullName: attribute(entry, fullName)?.trim() || null,
    }
  }
}

/** The first value of an attribute, whatever case the server spelled its name in. */
function attribute(entry: Entry, name: string): string | null {
  const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === name.toLowerCase())
  if (!key || key === 'dn') {
    return null
  }
  const raw = entry[key]
  const first = Array.isArray(raw) ? raw[0] : raw
  if (first === undefined) {
    return null
  }
  return Buffer.isBuffer(first) ? first.toString('hex') : String(first)
}

function tlsOptions(config: DirectoryConfig, host: string): ConnectionOptions {
  return {
    rejectUnauthorized: config.tls.rejectUnauthorized,
    ca: config.tls.ca,
    // Verified against the URL's host name, also when it is reached by IP.
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
  }
}

async function connect(config: DirectoryConfig): Promise<Client> {
  const host = new URL(config.url).hostname.replace(/^\[|\]$/g, '')
  const secure = config.url.startsWith('ldaps:')
  // ldapts connects with TLS whenever tlsOptions are given: only for ldaps://.
  const client = new Client({
    url: config.url,
    timeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
    tlsOptions: secure ? tlsOptions(config, host) : undefined,
  })
  if (config.startTls) {
    try {
      await client.startTLS(tlsOptions(config, host))
    } catch (error) {
      await client.unbind().catch(() => {})
      throw connectionFailure(error, 'tls')
    }
  }
  return client
}

const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|handshake/i

/** An ldapts or socket error as a DirectoryError, with the reason it stands for. */
function connectionFailure(error: unknown, fallback: DirectoryFailure): DirectoryError {
  if (error instanceof DirectoryError) {
    return error
  }
  const failure = error as { code?: unknown; message?: string }
  const message = failure.message ?? String(error)
  if (error instanceof ResultCodeError) {
    // The server's diagnostic text is often empty: the error's name says what happened.
    return new DirectoryError(fallback, `${error.name}: ${message.trim()}`, { cause: error })
  }
  if (typeof failure.code === 'string' && TLS_ERROR.test(failure.code)) {
    return new DirectoryError('tls', message, { cause: error })
  }
  if (TLS_ERROR.test(message) && fallback === 'tls') {
    return new DirectoryError('tls', message, { cause: error })
  }
  return new DirectoryError('unreachable', message, { cause: error })
}
