import app from '@adonisjs/core/services/app'
import { PgNotifications } from '#shared/pg_notifications'
import { EventSubscribers, type Subscriber } from '#events/event_subscribers'
import { OutboxDispatcher, type DispatcherOptions } from '#events/services/outbox_dispatcher'
import type { StoredEvent } from '#events/domain_event'
import { TenantContext } from '#tenancy/tenant_context'
import type { ApiClient } from '@japa/api-client'
import type { TestTenant } from '#tests/helpers/tenants'

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

/**
 * Deactivates a member over HTTP as the tenant's owner: a real change that
 * emits `member.deactivated`.
 */
export async function deactivate(client: ApiClient, tenant: TestTenant, memberId: number) {
  const response = await client
    .post(`/api/v1/members/${memberId}/deactivate`)
    .header('host', tenant.host)
    .bearerToken(tenant.ownerToken)
  response.assertStatus(200)
}

/** Creates `count` members and deactivates them one after the other. */
export async function deactivateNewMembers(client: ApiClient, tenant: TestTenant, count: number) {
  const members = await Promise.all(Array.from({ length: count }, () => tenant.member('member')))
  for (const { user } of members) {
    await deactivate(client, tenant, user.id)
  }
  return members
}

/** Sequence numbers received by all the recorders together, sorted. */
export function deliveredSeqs(...recorders: { received: { event: StoredEvent }[] }[]) {
  return recorders
    .flatMap(({ received }) => received.map(({ event }) => event.seq))
    .sort((x, y) => x - y)
}

/**
 * A dispatcher over the subscribers the application's modules registered
 * at boot (the activity feed, ...), as the web server runs it.
 */
export async function startAppDispatcher(options: DispatcherOptions = {}) {
  const dispatcher = new OutboxDispatcher(
    await app.container.make(EventSubscribers),
    await app.container.make(PgNotifications),
    { backoff: () => 20, ...options }
  )
  await dispatcher.start()
  return dispatcher
}

/**
 * A group hook: the application's dispatcher runs during each test (web
 * servers run one; the test process does not on its own).
 */
export async function deliverEventsDuringEachTest() {
  const dispatcher = await startAppDispatcher()
  return () => dispatcher.stop()
}
