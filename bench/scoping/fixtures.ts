/*
 * Data for bench/tenant_scoping.ts, created through the app's own
 * services. Imported after the app has booted.
 */
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'

/**
 * Provisions `slug` (its owner is user 1) and adds members up to `users`.
 * Members get no password: hashing 49 scrypt passwords would only slow
 * the setup, and no endpoint here signs in.
 */
export async function provisionBenchTenant(slug: string, users: number) {
  const provisioner = await app.container.make(TenantProvisioner)
  const { tenant } = await provisioner.create({
    slug,
    name: 'Benchmark',
    admin: { email: `owner@${slug}.test`, password: 'bench-password-1', fullName: 'Bench Owner' },
  })
  const bound = { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }

  const members = Array.from({ length: users - 1 }, (_, index) => ({
    email: `member${index + 2}@${slug}.test`,
    fullName: `Member ${index + 2}`,
    role: 'member' as const,
    status: 'active' as const,
  }))
  await TenantContext.run(bound, () =>
    db.transaction((trx) => User.createMany(members, { client: trx }))
  )
  return { schema: tenant.schemaName }
}
