import { type PluginContext, PluginError, type IssuedSession } from '#plugin-api'
import { directoryConfig, type DirectoryConfig } from './directory_config.js'
import { Directory, DirectoryError, type DirectoryPerson } from './directory.js'
import type { LinkedAccount } from './accounts.js'
import { matchMember, refreshMember } from './directory_members.js'
import { directoryRole } from './role_mapping.js'
import type { LdapSettings } from './settings.js'

type Context = PluginContext<LdapSettings>

/*
 * Failed sign-ins per (user name, IP) in the workspace, as for password
 * sign-in: 10 in 15 minutes, then 15 minutes of refusal.
 */
export const SIGN_IN_LIMITS = { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 }

export interface SignInAttempt {
  username: string
  password: string
  ip: string | null
  userAgent: string | null
}

/** A refusal the caller sees as one generic 401, whatever its reason (audited). */
class SignInRefused extends Error {
  constructor(
    readonly reason: string,
    readonly detail: { dn?: string; member_id?: number } = {}
  ) {
    super(reason)
  }
}

export function invalidCredentials() {
  return new PluginError('E_INVALID_CREDENTIALS', 'Invalid user name or password', 401)
}

export function emptyPassword() {
  return new PluginError('E_LDAP_EMPTY_PASSWORD', 'Enter your password', 422, 'password')
}

export function directoryUnavailable() {
  return new PluginError(
    'E_LDAP_DIRECTORY_UNAVAILABLE',
    'The directory cannot be reached; try again later',
    503
  )
}

/**
 * Signs a member in with their directory credentials and returns a
 * normal Tandem session. Every refusal is the same 401 (the reason goes
 * to the audit trail, never to the caller); a directory that cannot be
 * reached is a 503 and does not count as a failed attempt.
 */
export async function signInWithDirectory(
  context: Context,
  attempt: SignInAttempt
): Promise<IssuedSession> {
  // Before anything reaches the network: a simple bind with an empty
  // password is an unauthenticated bind, which Active Directory accepts.
  if (attempt.password.trim() === '') {
    throw emptyPassword()
  }
  const config = directoryConfig(context.settings)
  const key = `sign-in:${attempt.username.toLowerCase()}:${attempt.ip ?? '-'}`
  let outcome: Awaited<ReturnType<typeof verify>>
  try {
    outcome = await context.throttle.penalize(key, SIGN_IN_LIMITS, async () => {
      const verified = await verify(context, config, attempt)
      if ('refused' in verified) {
        throw verified.refused
      }
      return verified
    })
  } catch (error) {
    if (error instanceof SignInRefused) {
      await recordFailure(context, attempt, error.reason, error.detail)
      throw invalidCredentials()
    }
    if (error instanceof PluginError && error.code === 'E_TOO_MANY_ATTEMPTS') {
      await recordFailure(context, attempt, 'throttled')
    }
    throw error
  }
  if ('failure' in outcome) {
    await recordFailure(context, attempt, `directory_${outcome.failure.reason}`, {
      error: outcome.failure.message,
    })
    throw directoryUnavailable()
  }
  const { member, person } = outcome
  const session = await context.api.sessions.issue(member.id, {
    method: 'ldap',
    ip: attempt.ip,
    user_agent: attempt.userAgent,
  })
  await context.audit.record('login', {
    target: { type: 'user', id: member.id },
    ip: attempt.ip,
    user_agent: attempt.userAgent,
    metadata: { dn: person.dn, username: person.username },
  })
  return session
}

/**
 * The credential check and the member it proves. Resolves with the
 * member, or with a directory failure (not the user's fault, so not
 * throttled); a refusal is returned for the caller to throw inside the
 * throttle.
 */
async function verify(context: Context, config: DirectoryConfig, attempt: SignInAttempt) {
  let directory: Directory | null = null
  try {
    directory = await Directory.open(config, context.permissions)
    const found = await directory.findByUsername(attempt.username)
    if (found.length === 0) {
      return { refused: new SignInRefused('no_such_user') }
    }
    if (found.length > 1) {
      return { refused: new SignInRefused('ambiguous', { dn: found.map((p) => p.dn).join('; ') }) }
    }
    const person = found[0]
    const password = await directory.checkPassword(person.dn, attempt.password)
    if (!password.ok) {
      return { refused: new SignInRefused(password.reason, { dn: person.dn }) }
    }
    if (await directory.isDisabled(person.dn)) {
      return { refused: new SignInRefused('disabled', { dn: person.dn }) }
    }
    const groups = config.groups ? await directory.groupsOf(person) : null
    const live = directory
    return await admit(context, config, person, directoryRole(config, groups), (account) =>
      live.hasEntry(account.entry_id).then((exists) => !exists)
    )
  } catch (error) {
    if (error instanceof DirectoryError) {
      context.logger.warn({ reason: error.reason, err: error }, 'directory sign-in failed')
      return { failure: error }
    }
    throw error
  } finally {
    await directory?.close()
  }
}

/** The member the verified person signs in as: found, linked or created, and refreshed. */
async function admit(
  context: Context,
  config: DirectoryConfig,
  person: DirectoryPerson,
  role: ReturnType<typeof directoryRole>,
  isStale: (account: LinkedAccount) => Promise<boolean>
) {
  const match = await matchMember(context, config, person, {
    linkByEmail: true,
    create: config.jit,
    role,
    isStale,
  })
  if (!match.matched) {
    return { refused: new SignInRefused(match.reason, { dn: person.dn }) }
  }
  // Whoever deactivated them (an admin, SCIM, the sync), a sign-in never undoes it.
  if (match.member.status !== 'active') {
    return {
      refused: new SignInRefused('deactivated', { dn: person.dn, member_id: match.member.id }),
    }
  }
  const { member } = await refreshMember(context, match, person, role, {
    last_login_at: new Date(),
    last_seen_at: new Date(),
  })
  return { member, person }
}

async function recordFailure(
  context: Context,
  attempt: SignInAttempt,
  reason: string,
  detail: Record<string, unknown> = {}
) {
  const { member_id: memberId, ...metadata } = detail
  await context.audit.record('login_failed', {
    target: typeof memberId === 'number' ? { type: 'user', id: memberId } : undefined,
    ip: attempt.ip,
    user_agent: attempt.userAgent,
    metadata: { username: printable(attempt.username), reason, ...metadata },
  })
}

/** Control characters (a NUL in an injection attempt) as `\u0000`: PostgreSQL's jsonb refuses them raw. */
function printable(value: string) {
  return [...value]
    .map((char) => {
      const code = char.charCodeAt(0)
      return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : char
    })
    .join('')
}
