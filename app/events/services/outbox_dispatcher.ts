import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { type PgNotifications } from '#shared/pg_notifications'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { EVENTS_CHANNEL } from '#events/event_outbox'
import { type EventSubscribers, subscribes, type Subscriber } from '#events/event_subscribers'
import { storedEventFromRow, type StoredEvent } from '#events/domain_event'
import { LocalWakeups } from '#events/services/local_wakeups'
import { withTimeout } from '#shared/with_timeout'
import type { Wakeups } from '#events/services/wakeups'
import { SubscriberCursors, type CursorState } from '#events/services/subscriber_cursors'

export interface DispatcherOptions {
  /** Delay before retry number `attempt` (1-based), in ms. */
  backoff?: (attempt: number) => number
  /** How drains are scheduled (default: in this process). */
  wakeups?: Wakeups
}

const BATCH = 100
/** Subscribers all done within this long of a drain's start share one cursor save. */
const TOGETHER_MS = 20
/** How often a long drain records its progress (and renews its leases). */
const SAVE_EVERY_MS = 5_000
/** A tenant's schema never changes; the row is re-read now and then in case it was dropped. */
const TENANT_CACHE_MS = 60_000
const DEFAULT_MAX_ATTEMPTS = 5
const DEFAULT_TIMEOUT_MS = 10_000

/** 1 s, 2 s, 4 s ... capped at 5 minutes. */
export const exponentialBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 300_000)

/** A subscriber's part in one drain. */
interface Delivery extends CursorState {
  /** Waiting for a retry: it takes no more events in this drain. */
  stopped: boolean
  /** Its cursor was saved and its lease given up already. */
  released: boolean
  savedAt: number
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
  #knownCursors = new Set<string>()
  /** Bookkeeping runs on its own small pool (config/database.ts `events`). */
  #db = db.connection('events')
  #cursors = new SubscriberCursors(this.#db)

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

  /**
   * Delivers a tenant's pending events to every subscriber active there,
   * under leases on their cursors (one node at a time per subscriber).
   * The log is read once for all of them and the cursors are leased and
   * saved together, so the bookkeeping costs the same few round trips
   * however many subscribers take part; each subscriber still gets its
   * events in order, and one that fails waits for its retry alone. After
   * the leases are released it looks for events committed meanwhile: a
   * node whose wake-up found the leases taken relies on this check.
   */
  async #drainTenant(tenantId: number) {
    const tenant = await this.#tenant(tenantId)
    if (!tenant) {
      return
    }
    await TenantContext.run(tenant, async () => {
      const subscribers: Subscriber[] = []
      for (const subscriber of this.subscribers.all()) {
        if (!subscriber.activeIn || (await subscriber.activeIn(tenant))) {
          subscribers.push(subscriber)
        }
      }
      if (subscribers.length === 0) {
        return
      }
      await this.#ensureCursors(tenant, subscribers)
      while (!this.#stopped) {
        // A token per drain, not per node: two drains of one tenant may run
        // at once in the same process (queued wake-ups).
        const token = randomUUID()
        const leased = await this.#cursors.lease(subscribers, token)
        if (leased.length === 0) {
          return
        }
        const deliveries = leased.map((state) => ({
          ...state,
          stopped: false,
          released: false,
          savedAt: Date.now(),
        }))
        try {
          await this.#deliverPending(tenant, deliveries, token)
        } finally {
          await this.#release(
            deliveries.filter((delivery) => !delivery.released),
            token
          )
        }
        if (!(await this.#cursors.behind(subscribers))) {
          return
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

  async #ensureCursors(tenant: BoundTenant, subscribers: Subscriber[]) {
    const missing = subscribers.filter(
      (subscriber) => !this.#knownCursors.has(`${tenant.id}:${subscriber.name}`)
    )
    if (missing.length === 0) {
      return
    }
    await this.#cursors.ensure(missing)
    missing.forEach((subscriber) => this.#knownCursors.add(`${tenant.id}:${subscriber.name}`))
  }

  /**
   * Each ready subscriber goes through the log from its own cursor, side
   * by side; reads from the same position are shared, so subscribers
   * that keep pace cost one read per batch between them. When all are
   * done within TOGETHER_MS (the usual case), the drain's last statement
   * saves them together; otherwise those done by then are released
   * together and each other one on its own as it finishes, so a slow
   * subscriber holds no other's lease.
   */
  async #deliverPending(tenant: BoundTenant, deliveries: Delivery[], token: string) {
    const ready = deliveries.filter((delivery) => {
      if (delivery.retryAt && delivery.retryAt.getTime() > Date.now()) {
        this.#retryLater(tenant, delivery.retryAt)
        return false
      }
      delivery.retryAt = null
      return true
    })
    const reads = new Map<number, Promise<StoredEvent[]>>()
    const readAfter = (seq: number) => {
      if (!reads.has(seq)) {
        reads.set(seq, this.#read(tenant, seq))
      }
      return reads.get(seq)!
    }
    const finished = new Set<Delivery>()
    const runs = ready.map((delivery) =>
      this.#deliverAll(tenant, delivery, token, readAfter).finally(() => finished.add(delivery))
    )
    const allDone = Promise.all(runs).then(() => true)
    // Awaited below either way; this keeps a late failure from going unhandled.
    allDone.catch(() => {})
    const together = await Promise.race([allDone, sleep(TOGETHER_MS, false)])
    if (together) {
      return
    }
    await this.#release([...finished], token)
    await Promise.all(
      ready.map(async (delivery, index) => {
        if (!delivery.released) {
          await runs[index]
          await this.#release([delivery], token)
        }
      })
    )
  }

  async #release(deliveries: Delivery[], token: string) {
    await this.#cursors.save(deliveries, token, { release: true })
    deliveries.forEach((delivery) => (delivery.released = true))
  }

  async #read(tenant: BoundTenant, afterSeq: number) {
    const { rows } = await this.#db.rawQuery(
      `SELECT * FROM ${TenantContext.table('domain_events')} WHERE seq > ? ORDER BY seq LIMIT ?`,
      [afterSeq, BATCH]
    )
    return rows.map((row: Record<string, any>) => storedEventFromRow(row, tenant.id))
  }

  /** One subscriber, batch after batch, until it is caught up or waits for a retry. */
  async #deliverAll(
    tenant: BoundTenant,
    delivery: Delivery,
    token: string,
    readAfter: (seq: number) => Promise<StoredEvent[]>
  ) {
    while (!this.#stopped && !delivery.stopped) {
      const events = await readAfter(delivery.lastSeq)
      await this.#deliverBatch(tenant, delivery, events, token)
      if (events.length < BATCH) {
        return
      }
      // Progress is recorded per batch: a crash re-delivers at most what followed.
      await this.#cursors.save([delivery], token, { release: false })
      delivery.savedAt = Date.now()
    }
  }

  async #deliverBatch(
    tenant: BoundTenant,
    delivery: Delivery,
    events: StoredEvent[],
    token: string
  ) {
    const subscriber = delivery.subscriber
    for (const event of events) {
      if (event.seq <= delivery.lastSeq || this.#stopped) {
        continue
      }
      if (!subscribes(subscriber, event.type)) {
        delivery.lastSeq = event.seq
        continue
      }
      try {
        await withTimeout(subscriber.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
          subscriber.handle(event)
        )
        Object.assign(delivery, { lastSeq: event.seq, attempts: 0, lastError: null })
        // A long delivery renews its lease now and then.
        if (Date.now() - delivery.savedAt > SAVE_EVERY_MS) {
          await this.#cursors.save([delivery], token, { release: false })
          delivery.savedAt = Date.now()
        }
      } catch (error) {
        delivery.attempts += 1
        delivery.lastError = (error as Error)?.message ?? String(error)
        if (delivery.attempts < (subscriber.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
          delivery.retryAt = new Date(Date.now() + this.#backoff(delivery.attempts))
          delivery.stopped = true
          this.#retryLater(tenant, delivery.retryAt)
          return
        }
        logger.warn(
          {
            subscriber: subscriber.name,
            eventId: event.id,
            type: event.type,
            attempts: delivery.attempts,
          },
          'event dead-lettered'
        )
        await this.#cursors.deadLetter(delivery, event.seq, token)
        Object.assign(delivery, { lastSeq: event.seq, attempts: 0, lastError: null })
      }
    }
  }

  #retryLater(tenant: BoundTenant, at: Date) {
    this.#wakeups.wake(tenant.id, Math.max(1, at.getTime() - Date.now()))
  }
}
