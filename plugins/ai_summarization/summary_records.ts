import type { PluginTables } from '#plugin-api'
import type { SummarySource } from './summary_request.js'
import type { SummaryMethod, SummaryOutcome } from './summarize_transcript.js'

export type SummaryStatus = 'pending' | 'ready' | 'failed'

interface SummaryRow {
  id: number
  requester_id: number
  kind: SummarySource['kind']
  source: SummarySource
  status: SummaryStatus
  method: SummaryMethod | null
  model: string | null
  label: string | null
  text: string | null
  fallback_reason: string | null
  error_code: string | null
  stats: (SummaryOutcome['stats'] & { truncated: boolean }) | null
  created_at: Date
  completed_at: Date | null
}

/** A summary as its requester sees it (API responses and realtime pushes). */
export function summaryResource(row: SummaryRow) {
  const { kind, ...source } = row.source
  return {
    id: row.id,
    kind,
    source,
    status: row.status,
    method: row.method,
    model: row.model,
    label: row.label,
    text: row.text,
    fallback_reason: row.fallback_reason,
    error: row.error_code
      ? { code: row.error_code, message: FAILURES[row.error_code as SummaryFailureCode] }
      : null,
    stats: row.stats,
    requester_id: row.requester_id,
    created_at: new Date(row.created_at).toISOString(),
    completed_at: row.completed_at ? new Date(row.completed_at).toISOString() : null,
  }
}

export type SummaryResource = ReturnType<typeof summaryResource>

/** Why a summary failed, by stable code. */
const FAILURES = {
  E_SOURCE_UNAVAILABLE: 'The content is gone or you can no longer read it',
  E_SUMMARY_FAILED: 'The summary could not be made; try again later',
} as const
export type SummaryFailureCode = keyof typeof FAILURES

/** The plugin's `summaries` table. */
export class SummaryRecords {
  constructor(readonly db: PluginTables) {}

  async create(requesterId: number, source: SummarySource) {
    const [row] = await this.db
      .table('summaries')
      .insert({
        requester_id: requesterId,
        kind: source.kind,
        source: JSON.stringify(source),
        status: 'pending',
        created_at: new Date(),
      })
      .returning('*')
    return row as SummaryRow
  }

  async find(id: number): Promise<SummaryRow | null> {
    return (await this.db.table('summaries').where({ id }).first()) ?? null
  }

  /** A member's summaries, newest first, after the `beforeId` cursor when given. */
  async listFor(requesterId: number, page: { limit: number; beforeId?: number }) {
    const query = this.db
      .table('summaries')
      .where({ requester_id: requesterId })
      .orderBy('id', 'desc')
      .limit(page.limit)
    if (page.beforeId !== undefined) {
      query.where('id', '<', page.beforeId)
    }
    return (await query) as SummaryRow[]
  }

  /** Records the outcome of a pending summary; null when it was not pending any more. */
  async complete(id: number, outcome: SummaryOutcome, truncated: boolean) {
    return this.#finish(id, {
      status: 'ready',
      method: outcome.method,
      model: outcome.model,
      label: outcome.label,
      text: outcome.text,
      fallback_reason: outcome.fallback_reason,
      stats: JSON.stringify({ ...outcome.stats, truncated }),
    })
  }

  async fail(id: number, code: SummaryFailureCode) {
    return this.#finish(id, { status: 'failed', error_code: code })
  }

  async #finish(id: number, columns: Record<string, unknown>) {
    // Only a pending summary is finished: a job that runs twice writes once.
    const [row] = await this.db
      .table('summaries')
      .where({ id, status: 'pending' })
      .update({ ...columns, completed_at: new Date() })
      .returning('*')
    return (row as SummaryRow | undefined) ?? null
  }
}
