import app from '@adonisjs/core/services/app'
import User, { type UserRole } from '#identity/models/user'
import { TenantContext } from '#tenancy/tenant_context'
import { TenantProvisioner } from '#tenancy/services/tenant_provisioner'
import { MemberAccounts } from '#identity/services/member_accounts'
import db from '@adonisjs/lucid/services/db'
import { appDomain } from '#config/app'

export const PASSWORD = 'correct horse battery'

export interface TestTenant {
  id: number
  slug: string
  schema: string
  host: string
  owner: User
  ownerToken: string
  /** Creates an active member with the given role and a token for them. */
  member(role: UserRole, email?: string): Promise<{ user: User; token: string }>
  run<T>(work: () => Promise<T>): Promise<T>
}

/**
 * A tenant provisioned through the same service the CLI and signup use.
 */
export async function createTenant(slug: string): Promise<TestTenant> {
  const provisioner = await app.container.make(TenantProvisioner)
  const { tenant, owner } = await provisioner.create({
    slug,
    name: `${slug} Inc`,
    admin: { email: `owner@${slug}.test`, password: PASSWORD, fullName: 'Olive Owner' },
  })
  const bound = { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }
  const run = <T>(work: () => Promise<T>) => TenantContext.run(bound, work)
  const tokenFor = async (user: User) =>
    run(async () => {
      const token = await User.accessTokens.create(user)
      return token.value!.release()
    })

  return {
    ...bound,
    host: `${slug}.${appDomain}`,
    owner,
    ownerToken: await tokenFor(owner),
    run,
    async member(role, email) {
      const user = await run(() =>
        db.transaction((trx) =>
          MemberAccounts.create(trx, {
            email: email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@${slug}.test`,
            fullName: `${role} person`,
            password: PASSWORD,
            role,
          })
        )
      )
      return { user, token: await tokenFor(user) }
    },
  }
}
