import type { ApplicationService } from '@adonisjs/core/types'
import { LiveUpdates } from '#realtime/services/live_updates'

/**
 * The real-time gateway: one Socket.IO server per web process, linked to
 * the other nodes through Redis when REDIS_URL is set.
 */
export default class RealtimeProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(LiveUpdates, () => new LiveUpdates())
  }
}
