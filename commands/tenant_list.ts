import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import Tenant from '#tenancy/models/tenant'

export default class TenantList extends BaseCommand {
  static commandName = 'tenant:list'
  static description = 'List tenants with their status, region and schema'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print JSON instead of a table' })
  declare json: boolean

  async run() {
    const tenants = await Tenant.query().orderBy('slug')
    const rows = tenants.map((tenant) => ({
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      region: tenant.region,
      schema: tenant.schemaName,
      created_at: tenant.createdAt.toISO(),
    }))
    if (this.json) {
      this.logger.log(JSON.stringify(rows, null, 2))
      return
    }
    const table = this.ui.table().head(['Slug', 'Name', 'Status', 'Region', 'Schema', 'Created'])
    for (const row of rows) {
      table.row([row.slug, row.name, row.status, row.region, row.schema, row.created_at ?? ''])
    }
    table.render()
    this.logger.info(`${rows.length} tenant(s)`)
  }
}
