/*
 * The outbox delivery path of a dedicated dispatcher process, as
 * `ace events:work` runs it (EVENTS_DISPATCH=worker), plus the bench's
 * recording subscriber, whose deliveries are sent to the parent bench
 * process over IPC. Forked by dispatchers.ts with the bench's DATABASE_URL,
 * REDIS_URL and APP_KEY in its environment.
 */
import { ignite } from '../../bin/ignite.js'
import { DeliveryLog } from './delivery_log.js'

const ignitor = await ignite('tandem')
const app = ignitor.createApp('console')
await app.init()
await app.boot()
await app.start(async () => {
  const { EventSubscribers } = await import('#events/event_subscribers')
  const { OutboxDispatcher } = await import('#events/services/outbox_dispatcher')
  const log = new DeliveryLog((delivery) => process.send!({ delivery }))
  const subscribers = await app.container.make(EventSubscribers)
  subscribers.subscribe(log.subscriber)
  const dispatcher = await app.container.make(OutboxDispatcher)
  await dispatcher.start()
  await dispatcher.idle()
  process.send!({ ready: true })
  process.on('disconnect', () => void app.terminate())
})
