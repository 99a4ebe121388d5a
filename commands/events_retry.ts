import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DeadLetters } from '#events/services/dead_letters'
import { reportFailure } from '#shared/command_failure'

export default class EventsRetry extends BaseCommand {
  static commandName = 'events:retry'
  static description =
    'Deliver a dead-lettered event to its subscriber again (ref from events:failed)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Dead letter reference, <tenant>/<id>' })
  declare ref: string

  async run() {
    const deadLetters = await this.app.container.make(DeadLetters)
    try {
      const { subscriber, event } = await deadLetters.retry(this.ref)
      this.logger.success(`Delivered ${event.type} (${event.id}) to ${subscriber}`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
