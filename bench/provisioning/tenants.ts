/*
 * Tenant creation for bench/provisioning.ts, through the same
 * TenantProvisioner signup and the operator CLI use. Imported after the
 * app has booted.
 */
import app from '@adonisjs/core/services/app'
import User from '#identity/models/user'
import { TenantContext, type BoundTenant } from '#tenancy/tenant_context'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { forEachConcurrently } from '../support/report.js'

export const OWNER_PASSWORD = 'bench-password-1'

export interface BenchTenant {
  bound: BoundTenant
  owner: User
}

export function slugFor(index: number) {
  return `t${String(index).padStart(5, '0')}`
}

export async function createTenant(slug: string): Promise<BenchTenant> {
  const provisioner = await app.container.make(TenantProvisioner)
  const { tenant, owner } = await provisioner.create({
    slug,
    name: `Tenant ${slug}`,
    admin: { email: `owner@${slug}.test`, password: OWNER_PASSWORD, fullName: 'Bench Owner' },
  })
  return { bound: { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }, owner }
}

/** Creates tenants one after the other, timing each creation (ms). */
export async function createTimed(slugs: string[]) {
  const tenants: BenchTenant[] = []
  const durations: number[] = []
  for (const slug of slugs) {
    const started = performance.now()
    tenants.push(await createTenant(slug))
    durations.push(performance.now() - started)
  }
  return { tenants, durations }
}

export async function createConcurrently(slugs: string[], concurrency: number) {
  const tenants: BenchTenant[] = []
  await forEachConcurrently(slugs, concurrency, async (slug) => {
    tenants.push(await createTenant(slug))
  })
  return tenants
}

/** One API token per tenant owner, for the requests of the connections phase. */
export async function ownerTokens(tenants: BenchTenant[], concurrency: number) {
  const tokens = new Map<string, string>()
  await forEachConcurrently(tenants, concurrency, async ({ bound, owner }) => {
    const token = await TenantContext.run(bound, () => User.accessTokens.create(owner))
    tokens.set(bound.slug, token.value!.release())
  })
  return tokens
}
