import { AsyncLocalStorage } from 'node:async_hooks'
import { TenantNotBoundException } from '#tenancy/exceptions'

/**
 * What a bound tenant carries: enough to scope queries and to log,
 * nothing that goes stale when the tenant row changes.
 */
export interface BoundTenant {
  id: number
  slug: string
  schema: string
}

const storage = new AsyncLocalStorage<BoundTenant>()

/**
 * The tenant a piece of work runs for. Binding only happens in block form
 * (`run(tenant, fn)`), so a binding can never outlive the work it was made
 * for or leak into the next request sharing the event loop.
 */
export const TenantContext = {
  run<T>(tenant: BoundTenant, work: () => T): T {
    return storage.run({ id: tenant.id, slug: tenant.slug, schema: tenant.schema }, work)
  },

  current(): BoundTenant | undefined {
    return storage.getStore()
  },

  /**
   * Fails closed: tenant data is never reached without a bound tenant.
   */
  currentOrFail(): BoundTenant {
    const tenant = storage.getStore()
    if (!tenant) {
      throw new TenantNotBoundException()
    }
    return tenant
  },

  /**
   * Schema-qualified name of a tenant table for the bound tenant, for the
   * few queries that are not made through a tenant model.
   */
  table(name: string): string {
    return `${this.currentOrFail().schema}.${name}`
  },
}
