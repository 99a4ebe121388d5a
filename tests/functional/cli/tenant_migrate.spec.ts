import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import {
  columnExists,
  copyTenantMigrations,
  ledger,
  runAce,
  tenantMigrationNames,
} from '#tests/helpers/cli'
import { SchemaMigrator } from '#tenancy/services/schema_migrator'
import { TenantSchemaMigrator } from '#tenancy/services/schema_migrators'

const NICKNAME_MIGRATION = `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('users', (table) => {
      table.string('nickname')
    })
  }
}
`

test.group('CLI: tenant:migrate', (group) => {
  group.each.setup(() => resetDatabase())

  test('reports every tenant up-to-date when nothing is pending', async ({ assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')

    const result = await runAce(['tenant:migrate'])
    assert.equal(result.exitCode, 0, result.output)
    assert.match(result.stdout, /^\[ info \] acme up-to-date \(\d+ ms\)$/m)
    assert.match(result.stdout, /^\[ info \] globex up-to-date \(\d+ ms\)$/m)
    assert.include(result.stdout, '2 tenant(s), 0 failed')

    const all = await tenantMigrationNames()
    assert.deepEqual(await ledger(acme.schema), all)
    assert.deepEqual(await ledger(globex.schema), all)
  })

  test('--dry-run lists pending migrations without running them', async ({ assert }) => {
    const acme = await createTenant('acme')
    const globex = await createTenant('globex')
    const all = await tenantMigrationNames()
    const last = all.at(-1)!
    // globex "forgets" its last migration: it is pending again.
    await db.from(`${globex.schema}.schema_migrations`).where('name', last).delete()

    const result = await runAce(['tenant:migrate', '--dry-run', '--concurrency=1'])
    assert.equal(result.exitCode, 0, result.output)
    assert.match(result.stdout, /^\[ info \] acme up-to-date \(\d+ ms\)$/m)
    assert.match(
      result.stdout,
      new RegExp(`^\\[ info \\] globex pending: ${last} \\(\\d+ ms\\)$`, 'm')
    )

    assert.deepEqual(await ledger(acme.schema), all)
    assert.deepEqual(await ledger(globex.schema), all.slice(0, -1))
  })

  test('--tenant with an unknown slug fails', async ({ assert }) => {
    await createTenant('acme')

    const result = await runAce(['tenant:migrate', '--tenant=nope'])
    assert.equal(result.exitCode, 1, result.output)
    assert.notMatch(result.stdout, /acme/)
    assert.include(result.stderr, 'No tenant named "nope"')
  })

  test('--concurrency 0 is refused before anything runs', async ({ assert }) => {
    await createTenant('acme')

    const result = await runAce(['tenant:migrate', '--concurrency', '0'])
    assert.equal(result.exitCode, 1, result.output)
    assert.include(result.stderr, '--concurrency must be a whole number from 1 to 64')
    assert.notMatch(result.stdout, /acme/)
  })

  test('a migration failing in one tenant leaves the others migrated', async ({
    assert,
    cleanup,
  }) => {
    const acme = await createTenant('acme')
    const broken = await createTenant('broken')
    const globex = await createTenant('globex')
    // The new migration cannot run where the column already exists.
    await db.rawQuery('ALTER TABLE ??.users ADD COLUMN nickname varchar(255)', [broken.schema])

    const folder = await copyTenantMigrations({
      extra: { '9999_add_nickname.ts': NICKNAME_MIGRATION },
    })
    app.container.swap(TenantSchemaMigrator, () => new SchemaMigrator(folder.url))
    const ace = await app.container.make('ace')
    ace.ui.switchMode('raw')
    cleanup(async () => {
      ace.ui.switchMode('normal')
      app.container.restore(TenantSchemaMigrator)
      await folder.remove()
    })

    const command = await ace.exec('tenant:migrate', [])
    assert.equal(command.exitCode, 1)

    for (const tenant of [acme, globex]) {
      assert.isTrue(await columnExists(tenant.schema, 'users', 'nickname'), tenant.slug)
      assert.include(await ledger(tenant.schema), '9999_add_nickname')
    }
    assert.notInclude(await ledger(broken.schema), '9999_add_nickname')

    const lines = command.logger.getLogs().map((log) => log.message)
    const perTenant = (slug: string) => lines.filter((line) => line.includes(` ${slug} `))
    assert.lengthOf(perTenant('acme'), 1, lines.join('\n'))
    assert.lengthOf(perTenant('globex'), 1, lines.join('\n'))
    assert.lengthOf(perTenant('broken'), 1, lines.join('\n'))
    assert.match(perTenant('acme')[0], /acme migrated: 9999_add_nickname/)
    assert.match(perTenant('globex')[0], /globex migrated: 9999_add_nickname/)
    assert.match(perTenant('broken')[0], /broken failed.*nickname.*already exists/)
    assert.isTrue(lines.some((line) => line.includes('3 tenant(s), 1 failed')))
  })
})
