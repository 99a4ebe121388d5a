import type { ApplicationService } from '@adonisjs/core/types'
import { PgNotifications } from '#shared/pg_notifications'
import { EventSubscribers } from '#events/event_subscribers'
import { OutboxDispatcher } from '#events/services/outbox_dispatcher'

/**
 * The domain-event backbone: one subscriber list and one dispatcher per
 * process. The dispatcher runs in web server processes; cursor leases let
 * several nodes run one each (see docs/events.md).
 */
export default class EventsProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(EventSubscribers, () => new EventSubscribers())
    this.app.container.singleton(OutboxDispatcher, async (resolver) => {
      return new OutboxDispatcher(
        await resolver.make(EventSubscribers),
        await resolver.make(PgNotifications)
      )
    })
  }

  async ready() {
    if (this.app.getEnvironment() === 'web') {
      const dispatcher = await this.app.container.make(OutboxDispatcher)
      await dispatcher.start()
    }
  }

  async shutdown() {
    const dispatcher = await this.app.container.make(OutboxDispatcher)
    await dispatcher.stop()
  }
}
