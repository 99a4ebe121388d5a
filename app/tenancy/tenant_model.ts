import { BaseModel } from '@adonisjs/lucid/orm'
import { TenantContext } from '#tenancy/tenant_context'

/**
 * Base class of every model whose table lives in a tenant schema.
 *
 * Its `table` resolves, on each query, to `<bound tenant schema>.<table>`,
 * so queries need no per-tenant connection, no `SET search_path` and no
 * extra round trip, and they work through a transaction pooler. With no
 * tenant bound, reading `table` throws: a tenant query fails closed
 * instead of falling back to another schema.
 */
export class TenantModel extends BaseModel {
  static boot() {
    if (this.hasOwnProperty('booted') && this.booted) {
      return
    }
    super.boot()

    const tableName = this.table
    Object.defineProperty(this, 'table', {
      configurable: true,
      enumerable: true,
      get: () => TenantContext.table(tableName),
    })
  }
}
