import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { CentralSchemaMigrator } from '#tenancy/services/schema_migrators'
import { reportFailure } from '#shared/command_failure'

export default class DbMigrate extends BaseCommand {
  static commandName = 'db:migrate'
  static description = 'Apply pending central migrations (npm start also does this)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'List pending migrations without running them' })
  declare dryRun: boolean

  async run() {
    const migrator = await this.app.container.make(CentralSchemaMigrator)
    try {
      const { applied } = await migrator.migrate('central', { dryRun: this.dryRun })
      const verb = this.dryRun ? 'pending' : 'applied'
      this.logger.success(`${applied.length} central migration(s) ${verb}`)
      applied.forEach((name) => this.logger.info(`  ${name}`))
    } catch (error) {
      reportFailure(this, error)
    }
  }
}
