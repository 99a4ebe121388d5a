import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { appDomain } from '#config/app'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import {
  copyTenantMigrations,
  ledger,
  runAce,
  schemaExists,
  tenantMigrationNames,
  tenantRow,
  tenantStatus,
  tenantSchemas,
} from '#tests/helpers/cli'
import { SchemaMigrator } from '#tenancy/services/schema_migrator'
import { schemaForSlug } from '#tenancy/slug'

test.group('CLI: tenant:create', (group) => {
  group.each.setup(() => resetDatabase())

  test('creates an active tenant whose owner signs in with the printed password', async ({
    client,
    assert,
  }) => {
    const result = await runAce([
      'tenant:create',
      'acme',
      '--name=Acme Corp',
      '--admin-email=boss@acme.test',
    ])
    assert.equal(result.exitCode, 0, result.output)
    assert.include(result.stdout, 'Created tenant "acme" (schema tenant_acme)')

    const password = result.stdout.match(/Owner password \(shown once\): (\S+)/)?.[1]
    assert.exists(password, result.output)

    const tenant = await tenantRow('acme')
    assert.equal(tenant.status, 'active')
    assert.equal(tenant.name, 'Acme Corp')
    assert.deepEqual(await ledger('tenant_acme'), await tenantMigrationNames())

    const login = await client
      .post('/api/v1/auth/login')
      .header('host', `acme.${appDomain}`)
      .json({ email: 'boss@acme.test', password })
    login.assertStatus(201)
    const me = await client
      .get('/api/v1/me')
      .header('host', `acme.${appDomain}`)
      .bearerToken(login.body().data.token)
    me.assertStatus(200)
    assert.equal(me.body().data.email, 'boss@acme.test')
    assert.equal(me.body().data.role, 'owner')
  })

  test('uses --admin-password when given and prints no password', async ({ client, assert }) => {
    const result = await runAce([
      'tenant:create',
      'globex',
      '--name',
      'Globex',
      '--admin-email',
      'hank@globex.test',
      '--admin-password',
      'a long enough secret',
    ])
    assert.equal(result.exitCode, 0, result.output)
    assert.notInclude(result.output, 'Owner password')
    assert.notInclude(result.output, 'a long enough secret')

    const login = await client
      .post('/api/v1/auth/login')
      .header('host', `globex.${appDomain}`)
      .json({ email: 'hank@globex.test', password: 'a long enough secret' })
    login.assertStatus(201)
  })

  test('refuses to re-create a complete tenant', async ({ assert }) => {
    const acme = await createTenant('acme')
    const before = await ledger(acme.schema)

    const result = await runAce([
      'tenant:create',
      'acme',
      '--name=Other',
      '--admin-email=other@acme.test',
    ])
    assert.equal(result.exitCode, 1, result.output)
    assert.include(result.stderr, 'A workspace named "acme" already exists')

    const tenant = await tenantRow('acme')
    assert.equal(tenant.name, 'acme Inc')
    assert.equal(tenant.status, 'active')
    assert.deepEqual(await ledger(acme.schema), before)
    const others = await db.from(`${acme.schema}.users`).where('email', 'other@acme.test')
    assert.lengthOf(others, 0)
  })

  test('rejects the slug {slug} and creates nothing')
    .with([
      { slug: 'Bad_Slug', message: 'Invalid slug "Bad_Slug"' },
      { slug: 'www', message: 'The slug "www" is reserved' },
    ])
    .run(async ({ assert }, { slug, message }) => {
      const result = await runAce(['tenant:create', slug, '--name=X', '--admin-email=x@x.test'])
      assert.equal(result.exitCode, 1, result.output)
      assert.include(result.stderr, message)

      const rows = await db.from('central.tenants').count('* as total').first()
      assert.equal(Number(rows.total), 0)
      assert.deepEqual(await tenantSchemas(), [])
    })

  test('validates the owner like signup does, and creates nothing', async ({ assert }) => {
    const result = await runAce([
      'tenant:create',
      'acme',
      '--name=Acme',
      '--admin-email=not-an-email',
      '--admin-password=short',
    ])
    assert.equal(result.exitCode, 1, result.output)
    assert.include(result.stderr, '--admin-email')
    assert.include(result.stderr, '--admin-password')
    assert.notExists(await tenantRow('acme'))

    const missing = await runAce(['tenant:create', 'acme'])
    assert.equal(missing.exitCode, 1, missing.output)
    assert.include(missing.stderr, '--name')
    assert.deepEqual(await tenantSchemas(), [])
  })

  test('finishes a create that crashed half-way', async ({ client, assert, cleanup }) => {
    const slug = 'initech'
    const schema = schemaForSlug(slug)
    const all = await tenantMigrationNames()

    // What a crash after the first migration leaves behind.
    await db.table('central.tenants').insert({
      slug,
      name: 'Initech',
      schema_name: schema,
      region: 'default',
      status: 'provisioning',
    })
    const firstOnly = await copyTenantMigrations({ count: 1 })
    cleanup(() => firstOnly.remove())
    await new SchemaMigrator(firstOnly.url).migrate(schema)
    assert.deepEqual(await ledger(schema), all.slice(0, 1))

    const result = await runAce([
      'tenant:create',
      slug,
      '--name=Initech',
      '--admin-email=bill@initech.test',
      '--admin-password=tps reports are due',
    ])
    assert.equal(result.exitCode, 0, result.output)
    assert.include(result.stdout, `Finished creating tenant "${slug}"`)

    assert.equal(await tenantStatus(slug), 'active')
    assert.deepEqual(await ledger(schema), all)
    assert.isTrue(await schemaExists(schema))

    const login = await client
      .post('/api/v1/auth/login')
      .header('host', `${slug}.${appDomain}`)
      .json({ email: 'bill@initech.test', password: 'tps reports are due' })
    login.assertStatus(201)
  })
})
