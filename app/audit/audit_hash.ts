import { createHash } from 'node:crypto'
import stringify from 'safe-stable-stringify'

/**
 * The fields of an audit row that its hash covers, in stored form.
 */
export interface AuditRowContent {
  seq: number
  id: string
  occurredAt: string
  actorType: string
  actorId: string | null
  action: string
  targetType: string | null
  targetId: string | null
  ip: string | null
  userAgent: string | null
  metadata: Record<string, unknown>
}

export const GENESIS_HASH = '0'.repeat(64)

/**
 * sha256 over the previous row's hash and this row's content, serialized
 * with sorted keys so the stored jsonb (which reorders keys) hashes the
 * same when read back.
 */
export function chainHash(prevHash: string, row: AuditRowContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(stringify(row) ?? '')
    .digest('hex')
}
