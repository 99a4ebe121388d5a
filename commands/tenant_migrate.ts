import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TenantMigrations, type TenantMigrationOutcome } from '#tenancy/services/tenant_migrations'
import { reportFailure } from '#shared/command_failure'

export default class TenantMigrate extends BaseCommand {
  static commandName = 'tenant:migrate'
  static description =
    'Run pending tenant migrations in every tenant (or one), in parallel, one line per tenant'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Only this tenant (slug)' })
  declare tenant?: string

  @flags.number({ description: 'Tenants migrated at once (default 4)', default: 4 })
  declare concurrency: number

  @flags.boolean({ description: 'Show what would run without running it' })
  declare dryRun: boolean

  async run() {
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1 || this.concurrency > 64) {
      this.logger.error('--concurrency must be a whole number from 1 to 64')
      this.exitCode = 1
      return
    }
    const migrations = await this.app.container.make(TenantMigrations)
    const started = performance.now()
    try {
      const outcomes = await migrations.run({
        slug: this.tenant,
        concurrency: this.concurrency,
        dryRun: this.dryRun,
        onResult: (outcome) => this.#print(outcome),
      })
      const failed = outcomes.filter((outcome) => outcome.status === 'failed').length
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const summary = `${outcomes.length} tenant(s), ${failed} failed, ${seconds} s`
      if (failed > 0) {
        this.logger.error(summary)
        this.exitCode = 1
      } else {
        this.logger.success(summary)
      }
    } catch (error) {
      reportFailure(this, error)
    }
  }

  #print(outcome: TenantMigrationOutcome) {
    const names = outcome.migrations.length ? `: ${outcome.migrations.join(', ')}` : ''
    const line = `${outcome.slug} ${outcome.status}${names} (${outcome.ms} ms)`
    if (outcome.status === 'failed') {
      this.logger.error(`${line}: ${outcome.error}`)
    } else {
      this.logger.info(line)
    }
  }
}
