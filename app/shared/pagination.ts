import vine from '@vinejs/vine'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 25

/**
 * `?cursor=&limit=` of every list endpoint.
 */
export const pageFields = {
  cursor: vine
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  limit: vine.number().withoutDecimals().min(1).max(MAX_PAGE_SIZE).optional(),
}

function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) {
    return null
  }
  const value = Number(Buffer.from(cursor, 'base64url').toString('utf8'))
  return Number.isSafeInteger(value) ? value : null
}

function encodeCursor(value: number) {
  return Buffer.from(String(value), 'utf8').toString('base64url')
}

/**
 * Keyset pagination on a unique, increasing integer column: stable under
 * concurrent inserts, and no OFFSET scans on deep pages. The cursor is
 * opaque to clients.
 */
export async function paginateByKey<Model extends LucidModel>(
  query: ModelQueryBuilderContract<Model>,
  page: { cursor?: string; limit?: number },
  key: { column: string; direction: 'asc' | 'desc'; of: (item: InstanceType<Model>) => number }
) {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = decodeCursor(page.cursor)
  if (after !== null) {
    query.where(key.column, key.direction === 'asc' ? '>' : '<', after)
  }
  const rows = (await query
    .orderBy(key.column, key.direction)
    .limit(limit + 1)) as InstanceType<Model>[]
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(key.of(last)) : null,
  }
}
