/*
 * The two delivery paths bench/work_api.ts measures. Imported after the
 * app has booted.
 *
 * The bench boots the app in the web environment, where EventsProvider
 * builds the container's OutboxDispatcher (QueuedWakeups when REDIS_URL is
 * set, LocalWakeups otherwise) and starts it once the app is ready. The
 * bench's subscriber is registered in the app's "starting" hook, before
 * that. For the local path with REDIS_URL set, the container's dispatcher
 * is stopped and one is built as EventsProvider builds it without
 * REDIS_URL, on the same subscribers and LISTEN connection.
 */
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { PgNotifications } from '#shared/pg_notifications'
import { EventSubscribers, type Subscriber } from '#events/event_subscribers'
import { OutboxDispatcher } from '#events/services/outbox_dispatcher'

export type DeliveryPath = 'redis' | 'local'

export async function subscribe(subscriber: Subscriber) {
  const subscribers = await app.container.make(EventSubscribers)
  subscribers.subscribe(subscriber)
}

export function redisConfigured() {
  return Boolean(env.get('REDIS_URL'))
}

/** Names of the subscribers a drain delivers to, in order. */
export async function subscriberNames() {
  const subscribers = await app.container.make(EventSubscribers)
  return subscribers.all().map((subscriber) => subscriber.name)
}

/**
 * The dispatcher delivering on `path`: the container's, or (local path
 * while REDIS_URL is set) a LocalWakeups one that replaces it for good.
 * `stop` stops only a dispatcher made here; the app stops its own.
 */
export async function dispatcherFor(path: DeliveryPath) {
  const current = await app.container.make(OutboxDispatcher)
  if (path === 'redis' || !redisConfigured()) {
    return { dispatcher: current, stop: async () => {} }
  }
  await current.stop()
  const local = new OutboxDispatcher(
    await app.container.make(EventSubscribers),
    await app.container.make(PgNotifications)
  )
  await local.start()
  // On start it drains every tenant once (what was committed while it was
  // down): let that finish, or the phase would measure the catch-up.
  await local.idle()
  return { dispatcher: local, stop: () => local.stop() }
}
