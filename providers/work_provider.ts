import type { ApplicationService } from '@adonisjs/core/types'
import { EventSubscribers } from '#events/event_subscribers'
import { activityFeedProjector } from '#work/activity_feed_projector'

/**
 * Subscribes the work module to the domain-event backbone.
 */
export default class WorkProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const subscribers = await this.app.container.make(EventSubscribers)
    subscribers.subscribe(activityFeedProjector)
  }
}
