import type { StoredEvent } from '#events/domain_event'

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
}

export function subscribes(subscriber: Subscriber, type: string) {
  return subscriber.types.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)))
  )
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
