import { createHash, randomBytes } from 'node:crypto'
import type { PluginTables } from '#plugin-api'

/** The feed secret's only form at rest. */
export function hashFeedToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/** A new secret for the member's feed; any earlier URL stops working. */
export async function issueFeedToken(db: PluginTables, memberId: number) {
  // 256 bits, URL-safe: the URL is the only credential a calendar app sends.
  const token = randomBytes(32).toString('base64url')
  await db
    .table('feeds')
    .insert({ member_id: memberId, token_hash: hashFeedToken(token), created_at: new Date() })
    .onConflict('member_id')
    .merge()
  return token
}

export async function revokeFeed(db: PluginTables, memberId: number) {
  const deleted = await db.table('feeds').where('member_id', memberId).delete()
  return deleted > 0
}

export async function feedOf(db: PluginTables, memberId: number) {
  const row = await db.table('feeds').where('member_id', memberId).first()
  return row ? { created_at: new Date(row.created_at).toISOString() } : null
}

export async function memberOfFeedToken(db: PluginTables, token: string): Promise<number | null> {
  const row = await db.table('feeds').where('token_hash', hashFeedToken(token)).first('member_id')
  return row ? Number(row.member_id) : null
}
