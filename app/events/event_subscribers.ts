import type { StoredEvent } from '#events/domain_event'
import type { BoundTenant } from '#tenancy/tenant_context'

export interface Subscriber {
  /** Stable name: the subscriber's delivery cursor is stored under it. */
  name: string
  /** Event types: exact ('member.deactivated'), prefix ('member.*') or '*'. */
  types: string[]
  /**
   * Runs with the event's tenant bound. Delivery is at-least-once: a
   * handler must be idempotent on `event.id`.
   */
  handle(event: StoredEvent): Promise<void>
  /** Attempts before the event is dead-lettered for this subscriber (default 5). */
  maxAttempts?: number
  /** Time limit of one attempt (default 10 s). */
  timeoutMs?: number
  /**
   * Whether it takes events in this tenant now (default: always). While
   * it does not, its cursor stays where it is and nothing is delivered.
   */
  activeIn?(tenant: BoundTenant): Promise<boolean>
  /**
   * Where a new cursor starts: at the first event (default) or after the
   * latest one, for a subscriber that only cares from now on (plugins).
   */
  startAt?: 'first' | 'latest'
}

/** Whether an event type matches a pattern: exact, prefix ('member.*') or '*'. */
export function matchesType(pattern: string, type: string) {
  return (
    pattern === '*' ||
    pattern === type ||
    (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)))
  )
}

export function subscribes(subscriber: Subscriber, type: string) {
  return subscriber.types.some((pattern) => matchesType(pattern, type))
}

/**
 * Who listens to domain events in this process. Modules subscribe at
 * boot; the dispatcher reads this list.
 */
export class EventSubscribers {
  #subscribers = new Map<string, Subscriber>()

  subscribe(subscriber: Subscriber) {
    if (this.#subscribers.has(subscriber.name)) {
      throw new Error(`An event subscriber named "${subscriber.name}" exists already`)
    }
    this.#subscribers.set(subscriber.name, subscriber)
    return () => this.#subscribers.delete(subscriber.name)
  }

  get(name: string) {
    return this.#subscribers.get(name)
  }

  all() {
    return [...this.#subscribers.values()]
  }
}
