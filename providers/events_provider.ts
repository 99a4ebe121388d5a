import type { ApplicationService } from '@adonisjs/core/types'
import { PgNotifications } from '#shared/pg_notifications'
import { EventSubscribers } from '#events/event_subscribers'
import { OutboxDispatcher } from '#events/services/outbox_dispatcher'
import { QueuedWakeups } from '#events/services/queued_wakeups'
import { LocalWakeups } from '#events/services/local_wakeups'
import env from '#start/env'
import { redisPrefix } from '#config/redis'

/**
 * The domain-event backbone: one subscriber list and one dispatcher per
 * process. The dispatcher runs in web server processes, or, with
 * EVENTS_DISPATCH=worker, only in `ace events:work` processes; cursor
 * leases let several run at once. With REDIS_URL its wake-ups travel through
 * a bull queue worked by every node (see docs/events.md).
 */
export default class EventsProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(EventSubscribers, () => new EventSubscribers())
    this.app.container.singleton(OutboxDispatcher, async (resolver) => {
      const redisUrl = env.get('REDIS_URL')
      // Drains wait on the database more than they compute: run about two
      // per connection of the dispatcher's pool.
      const concurrency = env.get('EVENTS_CONCURRENCY', 2 * env.get('DB_EVENTS_POOL_MAX', 4))
      return new OutboxDispatcher(
        await resolver.make(EventSubscribers),
        await resolver.make(PgNotifications),
        {
          wakeups: redisUrl
            ? new QueuedWakeups(redisUrl, { prefix: `${redisPrefix}:bull`, concurrency })
            : new LocalWakeups(concurrency),
        }
      )
    })
  }

  async ready() {
    // With EVENTS_DISPATCH=worker, `ace events:work` processes deliver instead.
    if (this.app.getEnvironment() === 'web' && env.get('EVENTS_DISPATCH', 'web') === 'web') {
      const dispatcher = await this.app.container.make(OutboxDispatcher)
      await dispatcher.start()
    }
  }

  async shutdown() {
    const dispatcher = await this.app.container.make(OutboxDispatcher)
    await dispatcher.stop()
  }
}
