import type { PluginTables } from '#plugin-api'
import type { MappedRole } from './directory_config.js'
import type { DirectoryPerson } from './directory.js'

/** A row of `ldap_accounts`: a member and the directory entry they are linked to. */
export interface LinkedAccount {
  member_id: number
  entry_id: string
  dn: string
  username: string
  applied_role: MappedRole | null
  linked_at: Date
  last_login_at: Date | null
  last_seen_at: Date | null
}

export function accountByEntry(db: PluginTables, entryId: string) {
  return db.table('accounts').where('entry_id', entryId).first() as Promise<
    LinkedAccount | undefined
  >
}

export function accountOfMember(db: PluginTables, memberId: number) {
  return db.table('accounts').where('member_id', memberId).first() as Promise<
    LinkedAccount | undefined
  >
}

export function allAccounts(db: PluginTables) {
  return db.table('accounts').orderBy('member_id') as Promise<LinkedAccount[]>
}

/** Links (or re-links) a member to an entry, recording where the entry is now. */
export async function linkAccount(
  db: PluginTables,
  memberId: number,
  person: DirectoryPerson,
  change: { applied_role?: MappedRole | null; last_login_at?: Date; last_seen_at?: Date } = {}
) {
  const now = new Date()
  await db
    .table('accounts')
    .insert({
      member_id: memberId,
      entry_id: person.uniqueId,
      dn: person.dn,
      username: person.username,
      applied_role: change.applied_role ?? null,
      linked_at: now,
      last_login_at: change.last_login_at ?? null,
      last_seen_at: change.last_seen_at ?? null,
    })
    .onConflict('member_id')
    .merge({
      entry_id: person.uniqueId,
      dn: person.dn,
      username: person.username,
      ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)),
    })
}

export function unlinkAccount(db: PluginTables, memberId: number) {
  return db.table('accounts').where('member_id', memberId).delete()
}
