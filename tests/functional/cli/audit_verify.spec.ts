import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { resetDatabase } from '#tests/helpers/database'
import { createTenant } from '#tests/helpers/tenants'
import { runAce } from '#tests/helpers/cli'

test.group('CLI: audit:verify', (group) => {
  group.each.setup(() => resetDatabase())

  test('passes on an intact trail and names the first tampered row', async ({ assert }) => {
    const acme = await createTenant('acme')
    const rows = await db.from(`${acme.schema}.audit_events`).count('* as total').first()
    assert.isAbove(Number(rows.total), 0)

    const intact = await runAce(['audit:verify', 'acme'])
    assert.equal(intact.exitCode, 0, intact.output)
    assert.include(intact.stdout, `Audit trail of "acme" intact (${rows.total} rows)`)

    // Someone with superuser rights bypasses the append-only trigger.
    await db.transaction(async (trx) => {
      const table = `${acme.schema}.audit_events`
      await trx.rawQuery(`ALTER TABLE ${table} DISABLE TRIGGER audit_events_append_only`)
      await trx.rawQuery(`UPDATE ${table} SET action = 'x' WHERE seq = 1`)
      await trx.rawQuery(`ALTER TABLE ${table} ENABLE TRIGGER audit_events_append_only`)
    })

    const tampered = await runAce(['audit:verify', 'acme'])
    assert.equal(tampered.exitCode, 1, tampered.output)
    assert.include(tampered.stderr, 'Audit trail of "acme" broken at seq 1')
    assert.include(tampered.stderr, 'content does not match its hash')
  })
})
