import app from '@adonisjs/core/services/app'
import { PgNotifications } from '#shared/pg_notifications'
import { EventSubscribers, type Subscriber } from '#events/event_subscribers'
import { OutboxDispatcher, type DispatcherOptions } from '#events/services/outbox_dispatcher'
import type { StoredEvent } from '#events/domain_event'
import { TenantContext } from '#tenancy/tenant_context'

/**
 * A subscriber that records what it receives (and the tenant bound while
 * it ran), optionally failing first.
 */
export function recordingSubscriber(
  name: string,
  types: string[],
  options: { failures?: number; failAlways?: boolean; maxAttempts?: number } = {}
) {
  const received: { event: StoredEvent; boundTenantId: number | undefined }[] = []
  let attempts = 0
  const subscriber: Subscriber = {
    name,
    types,
    maxAttempts: options.maxAttempts,
    async handle(event) {
      attempts += 1
      if (options.failAlways || attempts <= (options.failures ?? 0)) {
        throw new Error(`${name} failed on purpose (attempt ${attempts})`)
      }
      received.push({ event, boundTenantId: TenantContext.current()?.id })
    },
  }
  return {
    subscriber,
    received,
    get attempts() {
      return attempts
    },
  }
}

/**
 * An in-process dispatcher over the given subscribers, with fast retries.
 */
export async function startDispatcher(subscribers: Subscriber[], options: DispatcherOptions = {}) {
  const list = new EventSubscribers()
  subscribers.forEach((subscriber) => list.subscribe(subscriber))
  const dispatcher = new OutboxDispatcher(list, await app.container.make(PgNotifications), {
    backoff: () => 20,
    ...options,
  })
  await dispatcher.start()
  return dispatcher
}
