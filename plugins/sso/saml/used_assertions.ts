import { createHash } from 'node:crypto'
import type { PluginTables } from '#plugin-api'
import { SignInRefused } from '../verified_identity.js'
import { CLOCK_SKEW_MS, MAX_ASSERTION_AGE_MS } from './service_provider.js'

/**
 * Assertion ids are unique per IdP only, and may be up to 256
 * characters: the key is a hash of both, under the `saml:` prefix the
 * table shares with other one-time values.
 */
function keyOf(idpEntityId: string, assertionId: string) {
  return `saml:${createHash('sha256').update(`${idpEntityId}\n${assertionId}`).digest('hex')}`
}

/**
 * The assertions this workspace accepted, each remembered for as long as
 * it could still be accepted (issue instant + the maximum age + skew):
 * the second time one is posted, SP- or IdP-initiated, it is refused.
 */
export const usedAssertions = {
  /** An early answer on the unverified id; `record` is what decides. */
  async refuseSeen(db: PluginTables, idpEntityId: string, assertionIds: Array<string | null>) {
    const keys = assertionIds.filter((id): id is string => !!id).map((id) => keyOf(idpEntityId, id))
    if (keys.length === 0) {
      return
    }
    const seen = await db.table('used_assertions').whereIn('id', keys).first('id')
    if (seen) {
      throw new SignInRefused('replayed', 'saml')
    }
  },

  async record(db: PluginTables, idpEntityId: string, assertionId: string, issuedAt: number) {
    await db
      .table('used_assertions')
      .where('id', 'like', 'saml:%')
      .where('expires_at', '<', new Date())
      .delete()
    const inserted = await db
      .table('used_assertions')
      .insert({
        id: keyOf(idpEntityId, assertionId),
        expires_at: new Date(issuedAt + MAX_ASSERTION_AGE_MS + 2 * CLOCK_SKEW_MS),
      })
      .onConflict('id')
      .ignore()
      .returning('id')
    if (inserted.length === 0) {
      throw new SignInRefused('replayed', 'saml', { assertion_id: assertionId })
    }
  },
}
