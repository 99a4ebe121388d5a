import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { OutboxDispatcher } from '#events/services/outbox_dispatcher'
import { RealtimeGateway } from '#realtime/services/realtime_gateway'
import { startPluginWork } from '#providers/plugins_provider'

/**
 * Runs the domain-event dispatcher in a process of its own, so delivery
 * keeps its pace when web processes are busy serving requests. Web
 * processes leave delivery to these when EVENTS_DISPATCH=worker; live
 * updates then need REDIS_URL to reach the web nodes' sockets. Stops on
 * SIGTERM or SIGINT after the drains in flight.
 */
export default class EventsWork extends BaseCommand {
  static commandName = 'events:work'
  static description =
    'Deliver domain events to subscribers and run plugin jobs (a worker process of its own)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  async run() {
    // Live updates (socket rooms, SSE) reach the web nodes through Redis.
    const gateway = await this.app.container.make(RealtimeGateway)
    await gateway.publishOnly()
    const dispatcher = await this.app.container.make(OutboxDispatcher)
    await dispatcher.start()
    await startPluginWork(this.app)
    this.logger.info('delivering domain events; stop with Ctrl-C')
  }
}
