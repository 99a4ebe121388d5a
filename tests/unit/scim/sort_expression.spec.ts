import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { sortExpression } from '#scim/filters/sort_expression'
import type { FilterSchema } from '#scim/filters/filter_schema'
import { ScimError } from '#scim/scim_error'
import { URN } from '#scim/schemas/urns'

/*
 * externalId has a locale collation (ICU, where a < A < b < B), which
 * sorting must not follow: it orders by code point whatever the locale.
 *
 * | id | userName | externalId | meta.created | emails                                 | groups   |
 * | 1  | bob      | b          | 2024-03-01   | zoe@ (primary), amy@                   | g-b, g-a |
 * | 2  | Alice    | B          | 2024-01-01   | carl@, ben@                            | g-ab     |
 * | 3  | carol    | a          |              | (none)                                 |          |
 * | 4  | Dave     | A          | 2024-02-01   | Dan@                                   |          |
 */
const FIXTURE = `
  users (id, user_name, external_id, created_at, attributes) AS (VALUES
    (1, 'bob', 'b' COLLATE "und-x-icu", '2024-03-01T00:00:00Z'::timestamptz,
      '{"emails": [{"value": "zoe@example.com", "primary": true}, {"value": "amy@example.com"}]}'::jsonb),
    (2, 'Alice', 'B', '2024-01-01T00:00:00Z',
      '{"emails": [{"value": "carl@example.com"}, {"value": "ben@example.com"}]}'),
    (3, 'carol', 'a', NULL, '{}'),
    (4, 'Dave', 'A', '2024-02-01T00:00:00Z', '{"emails": [{"value": "Dan@example.com"}]}')
  ),
  memberships (user_id, group_id) AS (VALUES (1, 'g-b'), (1, 'g-a'), (2, 'g-ab'))`

const schema: FilterSchema = {
  coreSchema: URN.user,
  attributes: {
    'userName': { kind: 'scalar', type: 'string', caseExact: false, sql: 'u.user_name' },
    'externalId': { kind: 'scalar', type: 'string', caseExact: true, sql: 'u.external_id' },
    'meta.created': { kind: 'scalar', type: 'dateTime', caseExact: false, sql: 'u.created_at' },
    'emails': {
      kind: 'multi',
      from: (a) => `jsonb_array_elements(coalesce(u.attributes->'emails', '[]'::jsonb)) AS ${a}`,
      subAttributes: {
        value: { type: 'string', caseExact: false, sql: (a) => `${a}->>'value'` },
        primary: { type: 'boolean', caseExact: false, sql: (a) => `${a}->>'primary'` },
      },
      defaultSubAttribute: 'value',
    },
    'groups': {
      kind: 'multi',
      from: (a) => `memberships AS ${a}`,
      where: (a) => `${a}.user_id = u.id`,
      subAttributes: { value: { type: 'string', caseExact: true, sql: (a) => `${a}.group_id` } },
      defaultSubAttribute: 'value',
    },
  },
}

/** The fixture ids in sortBy order, absent values last, ties by id. */
async function sorted(sortBy: string, direction: 'ASC' | 'DESC' = 'ASC'): Promise<number[]> {
  const expression = sortExpression(sortBy, schema)
  const result = await db.rawQuery(
    `WITH ${FIXTURE} SELECT id FROM users u ORDER BY ${expression} ${direction} NULLS LAST, id`
  )
  return result.rows.map((row: { id: number }) => row.id)
}

function rejection(sortBy: string): ScimError {
  try {
    sortExpression(sortBy, schema)
  } catch (error) {
    if (error instanceof ScimError) return error
    throw error
  }
  throw new Error(`sortBy=${sortBy} was accepted`)
}

test.group('SCIM sortBy', () => {
  test('sortBy={sortBy} orders {ids}')
    .with([
      // Case-insensitive: alice, bob, carol, dave.
      { sortBy: 'userName', ids: [2, 1, 3, 4] },
      // caseExact, by code point: A, B, a, b.
      { sortBy: 'externalId', ids: [4, 2, 3, 1] },
      { sortBy: 'meta.created', ids: [2, 4, 1, 3] },
      { sortBy: `${URN.user.toUpperCase()}:USERNAME`, ids: [2, 1, 3, 4] },
      // By the primary email (zoe@ for bob), else the lowest: ben@, dan@, zoe@.
      { sortBy: 'emails', ids: [2, 4, 1, 3] },
      { sortBy: 'Emails.Value', ids: [2, 4, 1, 3] },
      // No primary sub-attribute: the lowest group id, g-a (before g-ab) for bob.
      { sortBy: 'groups', ids: [1, 2, 3, 4] },
    ])
    .run(async ({ assert }, { sortBy, ids }) => {
      assert.deepEqual(await sorted(sortBy), ids)
    })

  test('descending reverses the order and keeps absent values last', async ({ assert }) => {
    assert.deepEqual(await sorted('meta.created', 'DESC'), [1, 4, 2, 3])
  })

  test('refuses sortBy={$self} with 400 invalidValue')
    .with(['nickName', 'emails.nope', 'userName.value', ''])
    .run(({ assert }, sortBy) => {
      const error = rejection(sortBy)
      assert.equal(error.status, 400)
      assert.equal(error.scimType, 'invalidValue')
    })
})
