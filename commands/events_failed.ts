import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DeadLetters } from '#events/services/dead_letters'
import { reportFailure } from '#shared/command_failure'

export default class EventsFailed extends BaseCommand {
  static commandName = 'events:failed'
  static description =
    'List domain events whose delivery to a subscriber was given up (dead letters)'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Only this tenant (slug)' })
  declare tenant?: string

  @flags.boolean({ description: 'Print JSON instead of a table' })
  declare json: boolean

  async run() {
    const deadLetters = await this.app.container.make(DeadLetters)
    try {
      const letters = await deadLetters.list(this.tenant)
      if (this.json) {
        this.logger.log(JSON.stringify(letters, null, 2))
        return
      }
      const table = this.ui
        .table()
        .head(['Ref', 'Subscriber', 'Event', 'Seq', 'Attempts', 'Failed at', 'Last error'])
      for (const letter of letters) {
        table.row([
          letter.ref,
          letter.subscriber,
          letter.type,
          String(letter.seq),
          String(letter.attempts),
          letter.failedAt,
          letter.lastError.slice(0, 80),
        ])
      }
      table.render()
      this.logger.info(`${letters.length} dead letter(s); retry one with events:retry <ref>`)
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
