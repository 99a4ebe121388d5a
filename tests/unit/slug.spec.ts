import { test } from '@japa/runner'
import { schemaForSlug, validateSlug } from '#tenancy/slug'

test.group('Tenant slugs', () => {
  test('accepts a well-formed slug and maps it to its schema', ({ assert }) => {
    assert.equal(validateSlug('acme-labs'), 'acme-labs')
    assert.equal(schemaForSlug('acme-labs'), 'tenant_acme_labs')
  })

  test('rejects {$self}')
    .with(['Acme', '1acme', 'a', 'acme_labs', 'acme-', 'ac--me', 'www', 'api', 'admin', "x'; drop"])
    .run(({ assert }, slug) => {
      assert.throws(() => validateSlug(slug))
    })
})
