import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { RawQueryBindings } from '@adonisjs/lucid/types/querybuilder'
import logger from '@adonisjs/core/services/logger'
import { type PgNotifications } from '#shared/pg_notifications'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { EVENTS_CHANNEL } from '#events/event_outbox'
import { type EventSubscribers, subscribes, type Subscriber } from '#events/event_subscribers'
import { storedEventFromRow, type StoredEvent } from '#events/domain_event'
import { LocalWakeups } from '#events/services/local_wakeups'
import { withTimeout } from '#shared/with_timeout'
import type { Wakeups } from '#events/services/wakeups'

export interface DispatcherOptions {
  /** Delay before retry number `attempt` (1-based), in ms. */
  backoff?: (attempt: number) => number
  /** How drains are scheduled (default: in this process). */
  wakeups?: Wakeups
}

const BATCH = 100
/** Longer than a handler's time limit, renewed as deliveries progress. */
const LEASE_SECONDS = 30
/** How often a long drain records its progress (and renews its lease). */
const SAVE_EVERY_MS = 5_000
/** A tenant's schema never changes; the row is re-read now and then in case it was dropped. */
const TENANT_CACHE_MS = 60_000
const DEFAULT_MAX_ATTEMPTS = 5
const DEFAULT_TIMEOUT_MS = 10_000

/** 1 s, 2 s, 4 s ... capped at 5 minutes. */
export const exponentialBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 300_000)

/** One drain's hold on a subscriber's cursor. */
interface Lease {
  subscriber: Subscriber
  token: string
}

interface Cursor {
  last_seq: number
  attempts: number
  retry_at: Date | null
}

/**
 * Delivers committed events to subscribers, from inside each web process.
 *
 * Each (tenant, subscriber) pair has a cursor in the tenant schema, leased
 * by one node at a time (several nodes may run a dispatcher). Events
 * are handed over in sequence order; the cursor is saved after each
 * batch (and every few seconds within a long one), so a crash
 * re-delivers at most that much; handlers are idempotent. A failing delivery is retried with backoff, holding back that
 * subscriber only (order is kept); once its attempts are spent the event
 * is dead-lettered for that subscriber, which moves on.
 *
 * Woken by the NOTIFY each committing transaction sends, by retry timers,
 * and on start for every tenant (what was committed while it was down).
 */
export class OutboxDispatcher {
  #stopListening?: () => void
  #stopped = true
  #backoff: (attempt: number) => number
  #wakeups: Wakeups
  #tenants = new Map<number, { tenant: BoundTenant; until: number }>()
  /** `<tenant>:<subscriber>` pairs whose cursor row is known to exist. */
  #cursors = new Set<string>()
  /** Bookkeeping runs on its own small pool (config/database.ts `events`). */
  #db = db.connection('events')

  constructor(
    protected subscribers: EventSubscribers,
    protected notifications: PgNotifications,
    options: DispatcherOptions = {}
  ) {
    this.#backoff = options.backoff ?? exponentialBackoff
    this.#wakeups = options.wakeups ?? new LocalWakeups()
  }

  async start() {
    this.#stopped = false
    await this.#wakeups.start((tenantId) => this.#drainTenant(tenantId))
    this.#stopListening = await this.notifications.listen(EVENTS_CHANNEL, (payload) =>
      payload ? this.#wakeups.wake(Number(payload.split(':')[0])) : void this.#wakeAll()
    )
    await this.#wakeAll()
  }

  async stop() {
    this.#stopped = true
    this.#stopListening?.()
    await this.#wakeups.stop()
  }

  /** Resolves once no tenant is being drained in this process. */
  idle() {
    return this.#wakeups.idle()
  }

  async #wakeAll() {
    const tenants = await this.#db
      .from('central.tenants')
      .whereIn('status', ['active', 'suspended'])
      .select('id')
    tenants.forEach(({ id }) => this.#wakeups.wake(Number(id)))
  }

  async #drainTenant(tenantId: number) {
    const tenant = await this.#tenant(tenantId)
    if (!tenant) {
      return
    }
    await TenantContext.run(tenant, async () => {
      for (const subscriber of this.subscribers.all()) {
        if (!subscriber.activeIn || (await subscriber.activeIn(tenant))) {
          await this.#drain(tenant, subscriber)
        }
      }
    })
  }

  async #tenant(tenantId: number) {
    const cached = this.#tenants.get(tenantId)
    if (cached && cached.until > Date.now()) {
      return cached.tenant
    }
    const row = await this.#db
      .from('central.tenants')
      .where('id', tenantId)
      .select('id', 'slug', 'schema_name')
      .first()
    if (!row) {
      this.#tenants.delete(tenantId)
      return null
    }
    const tenant: BoundTenant = { id: Number(row.id), slug: row.slug, schema: row.schema_name }
    this.#tenants.set(tenantId, { tenant, until: Date.now() + TENANT_CACHE_MS })
    return tenant
  }

  async #ensureCursor(tenant: BoundTenant, subscriber: Subscriber) {
    const key = `${tenant.id}:${subscriber.name}`
    if (this.#cursors.has(key)) {
      return
    }
    const start =
      subscriber.startAt === 'latest'
        ? `(SELECT seq FROM ${TenantContext.table('domain_event_head')})`
        : '0'
    await this.#db.rawQuery(
      `INSERT INTO ${TenantContext.table('event_subscriber_cursors')} (subscriber, last_seq)
       VALUES (?, ${start}) ON CONFLICT DO NOTHING`,
      [subscriber.name]
    )
    this.#cursors.add(key)
  }

  /**
   * Delivers a subscriber's pending events under a lease on its cursor,
   * so one node at a time does it. After releasing the lease it looks for
   * events committed meanwhile: a node whose wake-up found the lease taken
   * relies on this check.
   */
  async #drain(tenant: BoundTenant, subscriber: Subscriber) {
    await this.#ensureCursor(tenant, subscriber)
    while (!this.#stopped) {
      // A token per drain, not per node: two drains of one tenant may run
      // at once in the same process (queued wake-ups).
      const lease = { subscriber, token: randomUUID() }
      const cursor = await this.#lease(lease)
      if (!cursor) {
        return
      }
      let outcome: 'done' | 'waiting' | undefined
      try {
        outcome = await this.#deliverPending(tenant, lease, cursor)
      } finally {
        // 'done' released the lease with its last save.
        if (outcome !== 'done') {
          await this.#release(lease)
        }
      }
      if (outcome === 'waiting' || !(await this.#hasEventsAfter(subscriber))) {
        return
      }
    }
  }

  async #deliverPending(
    tenant: BoundTenant,
    lease: Lease,
    cursor: Cursor
  ): Promise<'done' | 'waiting'> {
    const subscriber = lease.subscriber
    if (cursor.retry_at && cursor.retry_at.getTime() > Date.now()) {
      this.#retryLater(tenant, cursor.retry_at)
      return 'waiting'
    }
    const log = TenantContext.table('domain_events')
    let lastSeq = Number(cursor.last_seq)
    let attempts = cursor.attempts
    let savedAt = Date.now()
    while (!this.#stopped) {
      const batch = await this.#db.rawQuery(
        `SELECT * FROM ${log} WHERE seq > ? ORDER BY seq LIMIT ?`,
        [lastSeq, BATCH]
      )
      for (const row of batch.rows) {
        const event = storedEventFromRow(row, tenant.id)
        if (!subscribes(subscriber, event.type)) {
          lastSeq = event.seq
          continue
        }
        try {
          await withTimeout(subscriber.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
            subscriber.handle(event)
          )
          lastSeq = event.seq
          attempts = 0
          // Progress is recorded per batch, and every few seconds in a
          // long one: a crash re-delivers at most what followed.
          if (Date.now() - savedAt > SAVE_EVERY_MS) {
            await this.#saveCursor(lease, lastSeq)
            savedAt = Date.now()
          }
        } catch (error) {
          attempts += 1
          const message = (error as Error)?.message ?? String(error)
          if (attempts < (subscriber.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
            const retryAt = new Date(Date.now() + this.#backoff(attempts))
            await this.#saveCursor(lease, lastSeq, { attempts, retryAt, error: message })
            this.#retryLater(tenant, retryAt)
            return 'waiting'
          }
          await this.#deadLetter(lease, event, attempts, message)
          lastSeq = event.seq
          attempts = 0
        }
      }
      if (batch.rows.length < BATCH) {
        break
      }
      await this.#saveCursor(lease, lastSeq)
      savedAt = Date.now()
    }
    await this.#saveCursor(lease, lastSeq, undefined, { release: true })
    return 'done'
  }

  /** The cursor, if this node may deliver for the subscriber now. */
  async #lease({ subscriber, token }: Lease): Promise<Cursor | undefined> {
    const { rows } = await this.#db.rawQuery(
      `UPDATE ${TenantContext.table('event_subscriber_cursors')}
       SET leased_by = ?, lease_until = now() + make_interval(secs => ?)
       WHERE subscriber = ?
         AND (lease_until IS NULL OR lease_until < now())
       RETURNING last_seq, attempts, retry_at`,
      [token, LEASE_SECONDS, subscriber.name]
    )
    return rows[0]
  }

  #release({ subscriber, token }: Lease) {
    return this.#db.rawQuery(
      `UPDATE ${TenantContext.table('event_subscriber_cursors')}
       SET leased_by = NULL, lease_until = NULL WHERE subscriber = ? AND leased_by = ?`,
      [subscriber.name, token]
    )
  }

  async #hasEventsAfter(subscriber: Subscriber) {
    const { rows } = await this.#db.rawQuery(
      `SELECT 1 FROM ${TenantContext.table('domain_events')} e
       JOIN ${TenantContext.table('event_subscriber_cursors')} c ON e.seq > c.last_seq
       WHERE c.subscriber = ? AND c.retry_at IS NULL LIMIT 1`,
      [subscriber.name]
    )
    return rows.length > 0
  }

  /**
   * Moves the cursor only while the lease is ours, and renews the lease,
   * or gives it up with the same write.
   */
  #saveCursor(
    { subscriber, token }: Lease,
    lastSeq: number,
    failure?: { attempts: number; retryAt: Date; error: string },
    options: { release?: boolean } = {}
  ) {
    return this.#db.rawQuery(
      `UPDATE ${TenantContext.table('event_subscriber_cursors')}
       SET last_seq = ?, attempts = ?, retry_at = ?, last_error = ?,
           leased_by = CASE WHEN ? THEN NULL ELSE leased_by END,
           lease_until = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END
       WHERE subscriber = ? AND leased_by = ?`,
      [
        lastSeq,
        failure?.attempts ?? 0,
        failure?.retryAt ?? null,
        failure?.error ?? null,
        options.release === true,
        options.release === true,
        LEASE_SECONDS,
        subscriber.name,
        token,
      ] as RawQueryBindings
    )
  }

  /** Dead-letters the event for this subscriber and moves its cursor past it, atomically. */
  #deadLetter({ subscriber, token }: Lease, event: StoredEvent, attempts: number, error: string) {
    logger.warn(
      { subscriber: subscriber.name, eventId: event.id, type: event.type, attempts },
      'event dead-lettered'
    )
    return this.#db.transaction(async (trx) => {
      await trx.rawQuery(
        `INSERT INTO ${TenantContext.table('event_dead_letters')}
           (subscriber, event_seq, attempts, last_error) VALUES (?, ?, ?, ?)
         ON CONFLICT (subscriber, event_seq) DO UPDATE
           SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error,
               failed_at = now(), retried_at = NULL`,
        [subscriber.name, event.seq, attempts, error]
      )
      await trx.rawQuery(
        `UPDATE ${TenantContext.table('event_subscriber_cursors')}
         SET last_seq = ?, attempts = 0, retry_at = NULL, last_error = NULL
         WHERE subscriber = ? AND leased_by = ?`,
        [event.seq, subscriber.name, token]
      )
    })
  }

  #retryLater(tenant: BoundTenant, at: Date) {
    this.#wakeups.wake(tenant.id, Math.max(1, at.getTime() - Date.now()))
  }
}
