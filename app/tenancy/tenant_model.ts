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
  /** The table's name inside a tenant schema. */
  declare static unqualifiedTable: string

  static boot() {
    if (this.hasOwnProperty('booted') && this.booted) {
      return
    }
    super.boot()

    const tableName = this.table
    Object.defineProperty(this, 'unqualifiedTable', { value: tableName, configurable: true })
    Object.defineProperty(this, 'table', {
      configurable: true,
      enumerable: true,
      get: () => TenantContext.table(tableName),
    })
  }

  /**
   * Column aliases are computed once, when columns are declared: they must
   * not depend on the tenant bound at that moment.
   */
  static $getColumnAlias(columnName: string) {
    this.boot()
    return `${this.unqualifiedTable}_${columnName}`
  }
}
