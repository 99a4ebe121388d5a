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
import { fork } from 'node:child_process'
import type { Delivery, DeliveryLog } from './delivery_log.js'

let containerStopped = false

/**
 * A dispatcher process of its own (bench/work_api/dispatch_worker.ts, as
 * `ace events:work` runs one), forwarding its deliveries to `log`.
 */
async function dispatchWorker(log: DeliveryLog) {
  const child = fork(new URL('./dispatch_worker.ts', import.meta.url), {
    execArgv: ['--import=@poppinss/ts-exec'],
    env: process.env,
  })
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: { delivery?: Delivery; ready?: boolean }) => {
      if (message.delivery) {
        log.record(message.delivery)
      } else if (message.ready) {
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`dispatch worker exited with ${code}`)))
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    dispatcher: { idle: async () => {} },
    stop: async () => {
      child.disconnect()
      await exited
    },
  }
}

export type DeliveryPath = 'redis' | 'worker' | 'local'

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
export async function dispatcherFor(path: DeliveryPath, log: DeliveryLog) {
  const current = await app.container.make(OutboxDispatcher)
  if (!containerStopped && (path === 'redis' || (path === 'local' && !redisConfigured()))) {
    return { dispatcher: current, stop: async () => {} }
  }
  if (!containerStopped) {
    containerStopped = true
    await current.stop()
  }
  if (path === 'worker') {
    return dispatchWorker(log)
  }
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
