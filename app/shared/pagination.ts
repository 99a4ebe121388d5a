import vine from '@vinejs/vine'
import { ApiException } from '#shared/api_exception'

export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 25

/**
 * `?cursor=&limit=` of every list endpoint.
 */
export const pageFields = {
  cursor: vine
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/)
    .optional(),
  limit: vine.number().withoutDecimals().min(1).max(MAX_PAGE_SIZE).optional(),
}

type KeyValues = number[]

class InvalidCursorException extends ApiException {
  constructor() {
    super('This cursor does not belong to this list', {
      code: 'E_VALIDATION_ERROR',
      status: 422,
      field: 'cursor',
    })
  }
}

function decodeCursor(cursor: string | undefined, width: number): KeyValues | null {
  if (!cursor) {
    return null
  }
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(decoded) &&
      decoded.length === width &&
      decoded.every((value) => typeof value === 'number' && Number.isFinite(value))
    ) {
      return decoded
    }
  } catch {}
  throw new InvalidCursorException()
}

function encodeCursor(values: KeyValues) {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url')
}

/** The part of a Lucid (model or plain) query builder that paging uses. */
interface PageableQuery<Row> extends PromiseLike<Row[]> {
  whereRaw(sql: string, bindings: number[]): unknown
  orderBy(column: string, direction: 'asc' | 'desc'): unknown
  limit(limit: number): unknown
}

/**
 * Keyset pagination on a unique, increasing key of one or more numeric
 * columns (e.g. board position then id): stable under concurrent
 * inserts, and no OFFSET scans on deep pages. The cursor is opaque to
 * clients. Column names are the caller's constants, never input.
 */
export async function paginateByKey<Row>(
  query: PageableQuery<Row>,
  page: { cursor?: string; limit?: number },
  key: { columns: string[]; direction: 'asc' | 'desc'; of: (row: Row) => KeyValues }
) {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE
  const after = decodeCursor(page.cursor, key.columns.length)
  if (after !== null) {
    const placeholders = after.map(() => '?').join(', ')
    query.whereRaw(
      `(${key.columns.join(', ')}) ${key.direction === 'asc' ? '>' : '<'} (${placeholders})`,
      after
    )
  }
  for (const column of key.columns) {
    query.orderBy(column, key.direction)
  }
  query.limit(limit + 1)
  const rows = await query
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(key.of(last)) : null,
  }
}
