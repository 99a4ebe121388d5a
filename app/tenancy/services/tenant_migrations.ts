import { inject } from '@adonisjs/core'
import Tenant from '#tenancy/models/tenant'
import { TenantSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TenantNotFoundException } from '#tenancy/exceptions'

export interface TenantMigrationOutcome {
  slug: string
  status: 'migrated' | 'up-to-date' | 'pending' | 'failed'
  migrations: string[]
  error?: string
  ms: number
}

/**
 * Brings every tenant schema (or one) up to date, several at a time.
 * Each tenant migrates in its own transaction, so one failure neither
 * stops nor spoils the others, and a re-run resumes where it stopped.
 */
@inject()
export class TenantMigrations {
  constructor(protected migrator: TenantSchemaMigrator) {}

  async run(options: {
    slug?: string
    concurrency?: number
    dryRun?: boolean
    onResult?: (outcome: TenantMigrationOutcome) => void
  }): Promise<TenantMigrationOutcome[]> {
    const query = Tenant.query().whereIn('status', ['active', 'suspended']).orderBy('id')
    if (options.slug) {
      query.where('slug', options.slug)
    }
    const tenants = await query
    if (options.slug && tenants.length === 0) {
      throw new TenantNotFoundException(options.slug)
    }

    const outcomes: TenantMigrationOutcome[] = []
    let next = 0
    const worker = async () => {
      while (next < tenants.length) {
        const tenant = tenants[next++]
        const outcome = await this.#migrateOne(tenant, options.dryRun ?? false)
        outcomes.push(outcome)
        options.onResult?.(outcome)
      }
    }
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, tenants.length))
    await Promise.all(Array.from({ length: workers }, worker))
    return outcomes
  }

  async #migrateOne(tenant: Tenant, dryRun: boolean): Promise<TenantMigrationOutcome> {
    const started = performance.now()
    const ms = () => Math.round(performance.now() - started)
    try {
      const { applied } = await this.migrator.migrate(tenant.schemaName, { dryRun })
      const status = applied.length === 0 ? 'up-to-date' : dryRun ? 'pending' : 'migrated'
      return { slug: tenant.slug, status, migrations: applied, ms: ms() }
    } catch (error) {
      return {
        slug: tenant.slug,
        status: 'failed',
        migrations: [],
        error: (error as Error).message,
        ms: ms(),
      }
    }
  }
}
