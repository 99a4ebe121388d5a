import { type PluginContext, PluginError, type PluginMember, type MemberChange } from '#plugin-api'
import {
  accountByEntry,
  accountOfMember,
  type LinkedAccount,
  linkAccount,
  unlinkAccount,
} from './accounts.js'
import type { DirectoryConfig, MappedRole } from './directory_config.js'
import type { DirectoryPerson } from './directory.js'
import type { LdapSettings } from './settings.js'

type Context = PluginContext<LdapSettings>

/** Why a directory person has (or gets) no member. */
export type UnmatchedReason = 'no_email' | 'email_conflict' | 'not_provisioned' | 'unlinked_member'

export type MemberMatch =
  | { matched: true; member: PluginMember; account: LinkedAccount; created: boolean }
  | { matched: false; reason: UnmatchedReason }

/**
 * The member a directory person is, by the account link (the entry's
 * unique id, so renames and moves keep it). Without a link:
 * - `linkByEmail` (a sign-in, where the person just proved the entry is
 *   theirs) links the member with the entry's email, unless that member
 *   is linked to another entry that still exists;
 * - `create` provisions a new member with the directory's role.
 */
export async function matchMember(
  context: Context,
  config: DirectoryConfig,
  person: DirectoryPerson,
  options: {
    linkByEmail: boolean
    create: boolean
    role: MappedRole | null
    /** Whether the entry another link points to is gone (deleted and re-created: a new unique id). */
    isStale?: (account: LinkedAccount) => Promise<boolean>
  }
): Promise<MemberMatch> {
  const linked = await accountByEntry(context.db, person.uniqueId)
  if (linked) {
    const member = await context.api.members.get(linked.member_id)
    if (member) {
      return { matched: true, member, account: linked, created: false }
    }
    // The member is gone: the entry is free to be linked again.
    await unlinkAccount(context.db, linked.member_id)
  }
  if (!person.email) {
    return { matched: false, reason: 'no_email' }
  }
  const existing = await context.api.members.findByEmail(person.email)
  if (existing) {
    if (!options.linkByEmail) {
      return { matched: false, reason: 'unlinked_member' }
    }
    const other = await accountOfMember(context.db, existing.id)
    if (other && other.entry_id !== person.uniqueId) {
      if (!(options.isStale && (await options.isStale(other)))) {
        return { matched: false, reason: 'email_conflict' }
      }
      context.logger.info(
        { member_id: existing.id, from: other.dn, to: person.dn },
        'member re-linked: their old directory entry is gone'
      )
    }
    await linkAccount(context.db, existing.id, person)
    return {
      matched: true,
      member: existing,
      account: (await accountOfMember(context.db, existing.id))!,
      created: false,
    }
  }
  if (!options.create) {
    return { matched: false, reason: 'not_provisioned' }
  }
  const role = options.role ?? config.defaultRole
  let member: PluginMember
  try {
    member = await context.api.members.provision({
      email: person.email,
      full_name: person.fullName ?? person.username,
      role,
    })
  } catch (error) {
    // Someone took the email since the lookup (another node's sync, an invitation).
    if (error instanceof PluginError && error.code === 'E_MEMBER_EXISTS') {
      return { matched: false, reason: 'email_conflict' }
    }
    throw error
  }
  await linkAccount(context.db, member.id, person, { applied_role: role })
  return {
    matched: true,
    member,
    account: (await accountOfMember(context.db, member.id))!,
    created: true,
  }
}

/**
 * Brings a linked member's name, email and role to what the directory
 * says, and records where the entry is now. The role changes only when
 * the directory decides roles (a group mapping), never for an owner, and
 * not when an admin changed it in Tandem since the plugin last set it
 * (the same rule as SCIM group mappings: a hand-made decision stands).
 * Returns the member and the fields that changed.
 */
export async function refreshMember(
  context: Context,
  match: Extract<MemberMatch, { matched: true }>,
  person: DirectoryPerson,
  role: MappedRole | null,
  stamp: { last_login_at?: Date; last_seen_at?: Date }
): Promise<{ member: PluginMember; changed: string[]; conflicts: string[] }> {
  const { member, account } = match
  const change: MemberChange = {}
  const conflicts: string[] = []
  if (person.fullName && person.fullName !== member.full_name) {
    change.full_name = person.fullName
  }
  if (person.email && person.email !== member.email.toLowerCase()) {
    const holder = await context.api.members.findByEmail(person.email)
    if (holder && holder.id !== member.id) {
      conflicts.push('email')
    } else {
      change.email = person.email
    }
  }
  let appliedRole = account.applied_role
  if (role && member.role !== 'owner') {
    const handMade = appliedRole !== null && member.role !== appliedRole
    if (member.role === role) {
      appliedRole = role
    } else if (!handMade) {
      change.role = role
      appliedRole = role
    }
  }
  let updated = member
  const changed = Object.keys(change)
  if (changed.length > 0) {
    updated = await context.api.members.update(member.id, change)
  }
  await linkAccount(context.db, member.id, person, { applied_role: appliedRole, ...stamp })
  return { member: updated, changed, conflicts }
}
