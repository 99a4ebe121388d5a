import { type PluginContext, PluginError, type PluginMember } from '#plugin-api'
import { allAccounts, type LinkedAccount } from './accounts.js'
import { type DirectoryConfig, directoryConfig } from './directory_config.js'
import { Directory, DirectoryError, type DirectoryPerson } from './directory.js'
import { matchMember, refreshMember } from './directory_members.js'
import { normalizeDn } from './distinguished_name.js'
import { directoryRole } from './role_mapping.js'
import type { LdapSettings } from './settings.js'
import { releaseSyncLease, takeSyncLease } from './sync_lease.js'

type Context = PluginContext<LdapSettings>

/** Longer than any sync may run (the plugin's time limit), so a crashed one frees it. */
export const SYNC_LEASE_MS = 15 * 60_000
const MAX_ERRORS_SHOWN = 10
const MAX_DNS_SHOWN = 20

export interface SyncOptions {
  trigger: 'schedule' | 'admin'
  /** An admin saw the held-back deactivations and confirms them (never for an empty result). */
  confirmDeactivations?: boolean
}

export interface SyncSummary {
  status: 'completed' | 'failed' | 'already_running'
  trigger: SyncOptions['trigger']
  /** Set when status is failed: `directory_unreachable`, `directory_search`, ... */
  reason: string | null
  started_at: string
  finished_at: string | null
  /** Entries the sync filter found, and how many of them the disabled filter matched. */
  entries: number
  disabled_entries: number
  linked: number
  created: number
  updated: number
  unchanged: number
  deactivated: number
  reactivated: number
  skipped: number
  failed: number
  /** Why entries or members were left alone: no_email, unlinked_member, deactivated_in_tandem, owner, ... */
  skipped_reasons: Record<string, number>
  /** The safety rule: deactivations the sync would have made but did not. */
  deactivations_held: number
  held_reason: 'empty_result' | 'over_limit' | null
  deactivation_limit: number | null
  errors: string[]
}

/** Thrown when the sync ran out of time: like a failed search, nobody is deactivated. */
class SyncInterrupted extends Error {}

/**
 * Reads the whole directory, then brings the linked members in line with
 * it (README: The directory sync). Nothing is written before every read
 * has succeeded, so a directory that fails or answers partially changes
 * nobody; and the safety rule holds back deactivations when the answer
 * looks wrong (empty, or far more departures than usual).
 */
export async function syncDirectory(context: Context, options: SyncOptions): Promise<SyncSummary> {
  const config = directoryConfig(context.settings)
  const summary = emptySummary(options.trigger)
  if (!(await takeSyncLease(context.db, SYNC_LEASE_MS))) {
    return { ...summary, status: 'already_running' }
  }
  try {
    await run(context, config, options, summary)
    summary.status = 'completed'
    await context.audit.record('sync_completed', { metadata: auditedSummary(summary) })
  } catch (error) {
    summary.status = 'failed'
    summary.reason =
      error instanceof DirectoryError
        ? `directory_${error.reason}`
        : error instanceof SyncInterrupted
          ? 'interrupted'
          : 'error'
    summary.errors.push((error as Error).message)
    await context.audit.record('sync_failed', { metadata: auditedSummary(summary) })
    if (!(error instanceof DirectoryError || error instanceof SyncInterrupted)) {
      throw error
    }
    context.logger.warn({ err: error, reason: summary.reason }, 'directory sync failed')
  } finally {
    summary.finished_at = new Date().toISOString()
    await releaseSyncLease(context.db, { status: summary.status, summary: { ...summary } })
  }
  return summary
}

interface DirectorySnapshot {
  people: DirectoryPerson[]
  disabled: Set<string>
  groups: Map<string, string[]>
}

interface Linked {
  account: LinkedAccount
  member: PluginMember
  person: DirectoryPerson
}

async function run(
  context: Context,
  config: DirectoryConfig,
  options: SyncOptions,
  summary: SyncSummary
) {
  const accounts = await allAccounts(context.db)
  const members = await membersById(
    context,
    accounts.map((account) => account.member_id)
  )
  const byEntry = new Map(accounts.map((account) => [account.entry_id, account]))
  summary.linked = accounts.length

  const snapshot = await readDirectory(context, config, (person) => {
    const account = byEntry.get(person.uniqueId)
    return account ? members.has(account.member_id) : config.sync.creates
  })
  summary.entries = snapshot.people.length
  summary.disabled_entries = snapshot.disabled.size

  // The plan, from reads only.
  const skip = (reason: string) => {
    summary.skipped += 1
    summary.skipped_reasons[reason] = (summary.skipped_reasons[reason] ?? 0) + 1
  }
  const toRefresh: Linked[] = []
  const toCreate: DirectoryPerson[] = []
  const leaving: Array<{ account: LinkedAccount; member: PluginMember; why: string }> = []
  const seen = new Set<number>()
  for (const person of snapshot.people) {
    const account = byEntry.get(person.uniqueId)
    const disabled = snapshot.disabled.has(comparable(person.dn))
    const member = account ? members.get(account.member_id) : undefined
    if (account && member) {
      seen.add(account.member_id)
      if (disabled) {
        leaving.push({ account, member, why: 'disabled' })
      } else {
        toRefresh.push({ account, member, person })
      }
    } else if (disabled) {
      skip('disabled_entry')
    } else {
      toCreate.push(person)
    }
  }
  // An entry deleted and created again has a new unique id: its member follows it by email.
  const unseen = new Map<string, { account: LinkedAccount; member: PluginMember }>()
  for (const account of accounts) {
    const member = members.get(account.member_id)
    if (member && !seen.has(account.member_id)) {
      unseen.set(member.email.toLowerCase(), { account, member })
    }
  }
  for (const person of [...toCreate]) {
    const previous = person.email ? unseen.get(person.email) : undefined
    if (previous) {
      unseen.delete(person.email!)
      toCreate.splice(toCreate.indexOf(person), 1)
      toRefresh.push({ ...previous, person })
    }
  }
  for (const { account, member } of unseen.values()) {
    leaving.push({ account, member, why: 'gone' })
  }
  const deactivations = leaving.filter(({ member }) => {
    if (member.status !== 'active') {
      return false
    }
    if (member.role === 'owner') {
      skip('owner')
      return false
    }
    return true
  })

  // The safety rule (README): never from an empty answer, and no more than the limit unconfirmed.
  const linkedActive = accounts.filter(
    (account) => members.get(account.member_id)?.status === 'active'
  ).length
  const limit = Math.max(1, Math.floor((linkedActive * config.sync.maxDeactivationPercent) / 100))
  summary.deactivation_limit = limit
  let held: SyncSummary['held_reason'] = null
  if (deactivations.length > 0 && snapshot.people.length === 0) {
    held = 'empty_result'
  } else if (deactivations.length > limit && !options.confirmDeactivations) {
    held = 'over_limit'
  }

  for (const linked of toRefresh) {
    await attempt(summary, () =>
      refreshLinked(
        context,
        config,
        linked,
        snapshot.groups.get(linked.person.uniqueId),
        summary,
        skip
      )
    )
  }
  for (const person of toCreate) {
    await attempt(summary, async () => {
      const groups = snapshot.groups.get(person.uniqueId) ?? null
      const match = await matchMember(context, config, person, {
        linkByEmail: false,
        create: config.sync.creates,
        role: directoryRole(config, groups),
      })
      if (!match.matched) {
        skip(match.reason)
      } else if (match.created) {
        summary.created += 1
      }
    })
  }

  if (held) {
    summary.deactivations_held = deactivations.length
    summary.held_reason = held
    await context.audit.record('sync_deactivations_held', {
      metadata: {
        reason: held,
        would_deactivate: deactivations.length,
        limit,
        linked_active: linkedActive,
        entries: snapshot.people.length,
        dns: deactivations.slice(0, MAX_DNS_SHOWN).map(({ account }) => account.dn),
      },
    })
    return
  }
  if (context.signal.aborted) {
    throw new SyncInterrupted('The sync ran out of time before its deactivations')
  }
  for (const { account, member, why } of deactivations) {
    await attempt(summary, async () => {
      await context.api.members.deactivate(member.id)
      summary.deactivated += 1
      await context.audit.record('member_deactivated', {
        target: { type: 'user', id: member.id },
        metadata: { dn: account.dn, reason: why },
      })
    })
  }
}

/** A linked member whose entry is there and enabled: reactivated if the sync deactivated them, then refreshed. */
async function refreshLinked(
  context: Context,
  config: DirectoryConfig,
  linked: Linked,
  groups: string[] | undefined,
  summary: SyncSummary,
  skip: (reason: string) => void
) {
  let member = linked.member
  if (member.status !== 'active') {
    // Only undoes the plugin's own deactivation: an admin's or SCIM's stands.
    const outcome = await context.api.members.reactivate(member.id)
    if (!outcome.reactivated) {
      skip('deactivated_in_tandem')
      return
    }
    member = outcome.member
    summary.reactivated += 1
    await context.audit.record('member_reactivated', {
      target: { type: 'user', id: member.id },
      metadata: { dn: linked.person.dn },
    })
  }
  const { changed, conflicts } = await refreshMember(
    context,
    { matched: true, member, account: linked.account, created: false },
    linked.person,
    directoryRole(config, groups ?? null),
    { last_seen_at: new Date() }
  )
  if (conflicts.length > 0) {
    summary.errors.push(`${linked.person.dn}: its email belongs to another member`)
  }
  if (changed.length > 0) {
    summary.updated += 1
  } else {
    summary.unchanged += 1
  }
}

/**
 * Every read the sync needs, before any write: the entries (paged), the
 * disabled ones, and the groups of those it will refresh or create. Any
 * error, a size or time limit included, fails the whole read.
 */
async function readDirectory(
  context: Context,
  config: DirectoryConfig,
  needsGroups: (person: DirectoryPerson) => boolean
): Promise<DirectorySnapshot> {
  const directory = await Directory.open(config, context.permissions)
  try {
    const people: DirectoryPerson[] = []
    for await (const page of directory.people()) {
      if (context.signal.aborted) {
        throw new SyncInterrupted('The sync ran out of time while reading the directory')
      }
      people.push(...page)
    }
    const disabled = new Set([...(await directory.disabledDns())].map(comparable))
    const groups = new Map<string, string[]>()
    if (config.groups) {
      for (const person of people) {
        if (!disabled.has(comparable(person.dn)) && needsGroups(person)) {
          groups.set(person.uniqueId, await directory.groupsOf(person))
        }
      }
    }
    return { people, disabled, groups }
  } finally {
    await directory.close()
  }
}

async function membersById(context: Context, ids: number[]) {
  const found = new Map<number, PluginMember>()
  for (let start = 0; start < ids.length; start += 200) {
    const chunk = ids.slice(start, start + 200)
    const page = await context.api.members.list({ ids: chunk, limit: 200 })
    page.items.forEach((member) => found.set(member.id, member))
  }
  return found
}

/** One member's change; a refusal by the core (an email taken) is counted, and the sync goes on. */
async function attempt(summary: SyncSummary, work: () => Promise<void>) {
  try {
    await work()
  } catch (error) {
    if (!(error instanceof PluginError)) {
      throw error
    }
    summary.failed += 1
    if (summary.errors.length < MAX_ERRORS_SHOWN) {
      summary.errors.push(`${error.code}: ${error.message}`)
    }
  }
}

function comparable(dn: string) {
  try {
    return normalizeDn(dn)
  } catch {
    return dn.toLowerCase()
  }
}

function emptySummary(trigger: SyncOptions['trigger']): SyncSummary {
  return {
    status: 'completed',
    trigger,
    reason: null,
    started_at: new Date().toISOString(),
    finished_at: null,
    entries: 0,
    disabled_entries: 0,
    linked: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    reactivated: 0,
    skipped: 0,
    failed: 0,
    skipped_reasons: {},
    deactivations_held: 0,
    held_reason: null,
    deactivation_limit: null,
    errors: [],
  }
}

function auditedSummary(summary: SyncSummary) {
  const counts: Partial<SyncSummary> = { ...summary }
  delete counts.started_at
  delete counts.finished_at
  return counts
}
