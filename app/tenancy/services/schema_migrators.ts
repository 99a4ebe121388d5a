import app from '@adonisjs/core/services/app'
import { SchemaMigrator } from '#tenancy/services/schema_migrator'

/**
 * Migrations of the `central` schema (tenants, domains, operator tables).
 */
export class CentralSchemaMigrator extends SchemaMigrator {
  constructor() {
    super(app.makeURL('database/migrations/central/'))
  }
}

/**
 * Migrations every tenant schema runs (database/migrations/tenant).
 */
export class TenantSchemaMigrator extends SchemaMigrator {
  constructor() {
    super(app.makeURL('database/migrations/tenant/'))
  }
}
