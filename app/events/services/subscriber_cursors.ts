import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import { TenantContext } from '#tenancy/tenant_context'
import type { Subscriber } from '#events/event_subscribers'

/** Longer than a handler's time limit, renewed as deliveries progress. */
export const LEASE_SECONDS = 30

/** Where a subscriber stands in the bound tenant's log, as a drain holds it. */
export interface CursorState {
  subscriber: Subscriber
  lastSeq: number
  attempts: number
  retryAt: Date | null
  lastError: string | null
}

const table = () => TenantContext.table('event_subscriber_cursors')
const head = () => TenantContext.table('domain_event_head')

/**
 * The delivery cursors of the bound tenant's subscribers, read and
 * written for all of a drain's subscribers at once: a drain costs the
 * same few round trips whether one subscriber or ten take part.
 */
export class SubscriberCursors {
  constructor(protected client: QueryClientContract) {}

  /** Creates the missing cursors: at 0, or after the latest event (`startAt: 'latest'`). */
  async ensure(subscribers: Subscriber[]) {
    if (subscribers.length === 0) {
      return
    }
    await this.client.rawQuery(
      `INSERT INTO ${table()} (subscriber, last_seq)
       SELECT s.name, CASE WHEN s.latest THEN h.seq ELSE 0 END
       FROM unnest(?::text[], ?::boolean[]) AS s (name, latest), ${head()} h
       ON CONFLICT DO NOTHING`,
      [subscribers.map((s) => s.name), subscribers.map((s) => s.startAt === 'latest')]
    )
  }

  /**
   * Leases the cursors no other drain holds; returns them. One node at a
   * time delivers a subscriber's events in a tenant.
   */
  async lease(subscribers: Subscriber[], token: string): Promise<CursorState[]> {
    const byName = new Map(subscribers.map((subscriber) => [subscriber.name, subscriber]))
    const { rows } = await this.client.rawQuery(
      `UPDATE ${table()}
       SET leased_by = ?, lease_until = now() + make_interval(secs => ?)
       WHERE subscriber = ANY(?::text[]) AND (lease_until IS NULL OR lease_until < now())
       RETURNING subscriber, last_seq, attempts, retry_at, last_error`,
      [token, LEASE_SECONDS, [...byName.keys()]]
    )
    return rows.map((row: Record<string, any>) => ({
      subscriber: byName.get(row.subscriber)!,
      lastSeq: Number(row.last_seq),
      attempts: row.attempts,
      retryAt: row.retry_at,
      lastError: row.last_error,
    }))
  }

  /**
   * Records where each cursor stands, only while the lease is ours, and
   * renews the lease, or gives it up with the same write.
   */
  async save(states: CursorState[], token: string, options: { release: boolean }) {
    if (states.length === 0) {
      return
    }
    const values = states.map(() => '(?, ?::bigint, ?::int, ?::timestamptz, ?::text)').join(', ')
    await this.client.rawQuery(
      `UPDATE ${table()} AS c
       SET last_seq = v.last_seq, attempts = v.attempts, retry_at = v.retry_at,
           last_error = v.last_error,
           leased_by = CASE WHEN ? THEN NULL ELSE c.leased_by END,
           lease_until = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END
       FROM (VALUES ${values}) AS v (subscriber, last_seq, attempts, retry_at, last_error)
       WHERE c.subscriber = v.subscriber AND c.leased_by = ?`,
      [
        options.release,
        options.release,
        LEASE_SECONDS,
        ...states.flatMap((state) => [
          state.subscriber.name,
          state.lastSeq,
          state.attempts,
          state.retryAt,
          state.lastError,
        ]),
        token,
      ] as RawQueryBindings
    )
  }

  /** Whether any of them has events to deliver now (none waiting for a retry). */
  async behind(subscribers: Subscriber[]) {
    const { rows } = await this.client.rawQuery(
      `SELECT 1 FROM ${table()} c, ${head()} h
       WHERE c.subscriber = ANY(?::text[]) AND c.retry_at IS NULL AND c.last_seq < h.seq
       LIMIT 1`,
      [subscribers.map((subscriber) => subscriber.name)]
    )
    return rows.length > 0
  }

  /**
   * Dead-letters an event for one subscriber and moves its cursor past
   * it, in one transaction.
   */
  deadLetter(state: CursorState, seq: number, token: string) {
    return this.client.transaction(async (trx) => {
      await trx.rawQuery(
        `INSERT INTO ${TenantContext.table('event_dead_letters')}
           (subscriber, event_seq, attempts, last_error) VALUES (?, ?, ?, ?)
         ON CONFLICT (subscriber, event_seq) DO UPDATE
           SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
               failed_at = now(), retried_at = NULL`,
        [state.subscriber.name, seq, state.attempts, state.lastError ?? '']
      )
      await trx.rawQuery(
        `UPDATE ${table()} SET last_seq = ?, attempts = 0, retry_at = NULL, last_error = NULL
         WHERE subscriber = ? AND leased_by = ?`,
        [seq, state.subscriber.name, token]
      )
    })
  }
}
