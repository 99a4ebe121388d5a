import { randomBytes } from 'node:crypto'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Tenant from '#tenancy/models/tenant'
import { TenantContext } from '#tenancy/tenant_context'
import { schemaForSlug, validateSlug } from '#tenancy/slug'
import { TenantExistsException, TenantNotFoundException } from '#tenancy/exceptions'
import { TenantSchemaMigrator } from '#tenancy/services/schema_migrators'
import { TENANT_CHANGES_CHANNEL, TenantDirectory } from '#tenancy/services/tenant_directory'
import { MemberAccounts } from '#identity/services/member_accounts'
import { AuditTrail, type AuditActor } from '#audit/services/audit_trail'
import type User from '#identity/models/user'

export interface NewTenant {
  slug: string
  name: string
  region?: string
  admin: { email: string; password?: string; fullName?: string }
  actor?: AuditActor
}

export interface ProvisionedTenant {
  tenant: Tenant
  owner: User
  /** Set when the owner's password was generated: shown once, never stored. */
  generatedPassword?: string
  /** True when this call finished a creation an earlier run left half-done. */
  resumed: boolean
}

/**
 * Creates, suspends, resumes and drops tenants. Every operation is
 * idempotent: re-running one after a crash finishes the job.
 */
@inject()
export class TenantProvisioner {
  constructor(
    protected migrator: TenantSchemaMigrator,
    protected directory: TenantDirectory
  ) {}

  async create(input: NewTenant): Promise<ProvisionedTenant> {
    const slug = validateSlug(input.slug)
    const { tenant, resumed } = await this.#claim(slug, input)

    const generatedPassword = input.admin.password
      ? undefined
      : randomBytes(12).toString('base64url')
    const password = input.admin.password ?? generatedPassword!

    // Schema, tables, owner and activation commit together: a crash
    // anywhere leaves the tenant in "provisioning", and the next run
    // starts this step again from whatever state the schema is in.
    const { owner, ownerCreated } = await db.transaction(async (trx) => {
      // A concurrent run of the same create may have finished meanwhile.
      const current = await Tenant.query({ client: trx }).where('id', tenant.id).forUpdate().first()
      if (current?.status !== 'provisioning') {
        throw new TenantExistsException(slug)
      }
      await this.migrator.migrate(tenant.schemaName, { client: trx })
      const created = await TenantContext.run(this.#bound(tenant), async () => {
        const existing = await MemberAccounts.findByEmail(trx, input.admin.email)
        const account =
          existing ??
          (await MemberAccounts.create(trx, {
            email: input.admin.email,
            fullName: input.admin.fullName ?? input.admin.email.split('@')[0],
            password,
            role: 'owner',
          }))
        await AuditTrail.record(trx, {
          actor: input.actor ?? { type: 'operator' },
          action: 'tenant.created',
          target: { type: 'tenant', id: tenant.id },
          metadata: { slug, owner_id: account.id, resumed },
        })
        return { owner: account, ownerCreated: !existing }
      })
      tenant.useTransaction(trx)
      tenant.status = 'active'
      await tenant.save()
      await this.#announce(trx, slug)
      return created
    })

    this.directory.invalidate()
    return {
      tenant,
      owner,
      generatedPassword: ownerCreated ? generatedPassword : undefined,
      resumed,
    }
  }

  async suspend(slug: string, actor: AuditActor = { type: 'operator' }) {
    return this.#changeStatus(slug, 'suspended', 'tenant.suspended', actor)
  }

  async resume(slug: string, actor: AuditActor = { type: 'operator' }) {
    return this.#changeStatus(slug, 'active', 'tenant.resumed', actor)
  }

  /**
   * Removes the tenant's schema and central rows in one transaction.
   */
  async drop(slug: string) {
    await db.transaction(async (trx) => {
      // A half-created tenant can be dropped too.
      const tenant = await this.#find(trx, slug, { includeProvisioning: true })
      await trx.rawQuery('DROP SCHEMA IF EXISTS ?? CASCADE', [tenant.schemaName])
      await tenant.useTransaction(trx).delete()
      await this.#announce(trx, slug)
    })
    this.directory.invalidate()
  }

  async #claim(slug: string, input: NewTenant) {
    // Any conflict (slug, or the schema name derived from it) means the
    // tenant is already claimed: by an earlier run or a concurrent one.
    return db.transaction(async (trx) => {
      const inserted = await trx.rawQuery(
        `INSERT INTO central.tenants (slug, name, schema_name, region, status)
         VALUES (?, ?, ?, ?, 'provisioning')
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [slug, input.name, schemaForSlug(slug), input.region ?? 'default']
      )
      const tenant = await Tenant.query({ client: trx })
        .where('slug', slug)
        .forUpdate()
        .firstOrFail()
      if (inserted.rows.length === 0 && tenant.status !== 'provisioning') {
        throw new TenantExistsException(slug)
      }
      return { tenant, resumed: inserted.rows.length === 0 }
    })
  }

  async #changeStatus(
    slug: string,
    status: 'active' | 'suspended',
    action: string,
    actor: AuditActor
  ) {
    const tenant = await db.transaction(async (trx) => {
      const found = await this.#find(trx, slug)
      if (found.status === status) {
        return found
      }
      found.useTransaction(trx)
      found.status = status
      await found.save()
      await TenantContext.run(this.#bound(found), () =>
        AuditTrail.record(trx, { actor, action, target: { type: 'tenant', id: found.id } })
      )
      await this.#announce(trx, slug)
      return found
    })
    this.directory.invalidate()
    return tenant
  }

  async #find(
    trx: TransactionClientContract,
    slug: string,
    options: { includeProvisioning?: boolean } = {}
  ) {
    const tenant = await Tenant.query({ client: trx }).where('slug', slug).forUpdate().first()
    if (!tenant || (tenant.status === 'provisioning' && !options.includeProvisioning)) {
      throw new TenantNotFoundException(slug)
    }
    return tenant
  }

  #bound(tenant: Tenant) {
    return { id: tenant.id, slug: tenant.slug, schema: tenant.schemaName }
  }

  /** Delivered at COMMIT to every node's TenantDirectory. */
  #announce(trx: TransactionClientContract, slug: string) {
    return trx.rawQuery('SELECT pg_notify(?, ?)', [TENANT_CHANGES_CHANNEL, slug])
  }
}
