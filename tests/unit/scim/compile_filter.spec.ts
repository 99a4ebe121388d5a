import { test } from '@japa/runner'
import type { TestContext } from '@japa/runner/core'
import db from '@adonisjs/lucid/services/db'
import { compileFilter } from '#scim/filters/compile_filter'
import { FILTER_LIMITS } from '#scim/filters/filter_limits'
import type { FilterSchema, FilterValueType } from '#scim/filters/filter_schema'
import { ScimError } from '#scim/scim_error'
import { URN } from '#scim/schemas/urns'

/*
 * Six users and their group memberships, as rows the filters run against:
 *
 * | id | userName | externalId | active | meta.created      | loginCount | emails (type: value)                   |
 * | 1  | Alice    | EXT-A      | true   | 2024-01-01T00:00Z | 5          | work: alice@example.com (primary),     |
 * |    |          |            |        |                   |            | home: a@b.org                          |
 * | 2  | bob      | ext-b      | false  | 2024-06-01T12:00Z | 0          | work: other@example.com, home: a@b     |
 * | 3  | 500      | o'brien?   |        |                   |            | (none)                                 |
 * | 4  | 50% off  | ext-a      | true   | 2024-01-01T01:00Z | 10         | work: x_y@example.com                  |
 * | 5  | a_b\c    |            | false  | 2025-01-01T00:00Z | 5          | home: (no value)                       |
 * | 6  | aXb\c    |            | true   | 2020-01-01T00:00Z | -1         | work: A@B                              |
 *
 * givenName: Alice (1), Bob (2), empty (4); score: 1.5 (1), 2.25 (2);
 * lastModified: the same instant for 1 and 2, written in two offsets;
 * department: Sales (1), R&D (2); groups: g-1 and g-2 (1), G-1 (2).
 *
 * externalId has a locale collation (ICU, where a < A < b), which gt/lt
 * must not follow: they order by code point (A < B < a) whatever the
 * database's locale. The "?" is spelled chr(63): knex takes any ? in the
 * SQL text for a placeholder.
 */
const FIXTURE = `
  users (id, user_name, external_id, active, created_at, login_count, attributes) AS (VALUES
    (1, 'Alice', 'EXT-A' COLLATE "und-x-icu", true, '2024-01-01T00:00:00Z'::timestamptz, 5,
      '{"name": {"givenName": "Alice"}, "score": 1.5, "lastModified": "2024-03-01T10:00:00Z",
        "emails": [{"value": "alice@example.com", "type": "work", "primary": true},
                   {"value": "a@b.org", "type": "home"}],
        "enterprise": {"department": "Sales"}}'::jsonb),
    (2, 'bob', 'ext-b', false, '2024-06-01T12:00:00Z', 0,
      '{"name": {"givenName": "Bob"}, "score": 2.25, "lastModified": "2024-03-01T12:00:00+02:00",
        "emails": [{"value": "other@example.com", "type": "work"}, {"value": "a@b", "type": "home"}],
        "enterprise": {"department": "R&D"}}'),
    (3, '500', 'o''brien' || chr(63), NULL, NULL, NULL, '{}'),
    (4, '50% off', 'ext-a', true, '2023-12-31T23:00:00-02:00', 10,
      '{"name": {"givenName": ""}, "emails": [{"value": "x_y@example.com", "type": "work"}]}'),
    (5, 'a_b\\c', NULL, false, '2025-01-01T00:00:00Z', 5, '{"emails": [{"type": "home"}]}'),
    (6, 'aXb\\c', NULL, true, '2020-01-01T00:00:00Z', -1,
      '{"emails": [{"value": "A@B", "type": "work"}]}')
  ),
  memberships (user_id, group_id, group_name) AS (VALUES
    (1, 'g-1', 'Engineering'), (1, 'g-2', 'Sales'), (2, 'G-1', 'Engineering')
  )`

function scalar(type: FilterValueType, caseExact: boolean, sql: string) {
  return { kind: 'scalar' as const, type, caseExact, sql }
}

const schema: FilterSchema = {
  coreSchema: URN.user,
  attributes: {
    'userName': scalar('string', false, 'u.user_name'),
    'externalId': scalar('string', true, 'u.external_id'),
    'active': scalar('boolean', false, 'u.active'),
    'meta.created': scalar('dateTime', false, 'u.created_at'),
    'meta.lastModified': scalar('dateTime', false, `u.attributes->>'lastModified'`),
    'loginCount': scalar('integer', false, 'u.login_count'),
    'score': scalar('decimal', false, `u.attributes->>'score'`),
    'name.givenName': scalar('string', false, `u.attributes->'name'->>'givenName'`),
    [`${URN.enterpriseUser}:department`]: scalar(
      'string',
      false,
      `u.attributes->'enterprise'->>'department'`
    ),
    'emails': {
      kind: 'multi',
      from: (a) => `jsonb_array_elements(coalesce(u.attributes->'emails', '[]'::jsonb)) AS ${a}`,
      subAttributes: {
        value: { type: 'string', caseExact: false, sql: (a) => `${a}->>'value'` },
        type: { type: 'string', caseExact: false, sql: (a) => `${a}->>'type'` },
        primary: { type: 'boolean', caseExact: false, sql: (a) => `${a}->>'primary'` },
      },
      defaultSubAttribute: 'value',
    },
    'groups': {
      kind: 'multi',
      from: (a) => `memberships AS ${a}`,
      where: (a) => `${a}.user_id = u.id`,
      subAttributes: {
        value: { type: 'string', caseExact: true, sql: (a) => `${a}.group_id` },
        display: { type: 'string', caseExact: false, sql: (a) => `${a}.group_name` },
      },
      defaultSubAttribute: 'value',
    },
  },
}

/** The ids of the fixture users the filter matches, in id order. */
async function matching(filter: string): Promise<number[]> {
  const { sql, bindings } = compileFilter(filter, schema)
  const result = await db.rawQuery(
    `WITH ${FIXTURE} SELECT id FROM users u WHERE ${sql} ORDER BY id`,
    bindings
  )
  return result.rows.map((row: { id: number }) => row.id)
}

function rejection(filter: string): ScimError {
  try {
    compileFilter(filter, schema)
  } catch (error) {
    if (error instanceof ScimError) return error
    throw error
  }
  throw new Error(`"${filter}" was accepted`)
}

interface Case {
  filter: string
  ids: number[]
}

async function specification({ assert }: TestContext, { filter, ids }: Case) {
  assert.deepEqual(await matching(filter), ids)
}

test.group('SCIM filters on strings', () => {
  test('{filter} matches {ids}')
    .with<Case[]>([
      { filter: 'userName eq "alice"', ids: [1] },
      { filter: 'userName eq "ALICE"', ids: [1] },
      { filter: 'userName ne "alice"', ids: [2, 3, 4, 5, 6] },
      { filter: 'userName co "B"', ids: [2, 5, 6] },
      { filter: 'userName sw "A"', ids: [1, 5, 6] },
      { filter: 'userName ew "\\C"', ids: [5, 6] },
      { filter: 'userName gt "B"', ids: [2] },
      { filter: 'userName ge "bob"', ids: [2] },
      { filter: 'userName lt "a"', ids: [3, 4] },
      { filter: 'userName le "alice"', ids: [1, 3, 4, 5] },
      { filter: 'userName eq "a_b\\c"', ids: [5] },
    ])
    .run(specification)

  test('caseExact {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'externalId eq "EXT-A"', ids: [1] },
      { filter: 'externalId eq "ext-a"', ids: [4] },
      { filter: 'externalId co "EXT"', ids: [1] },
      { filter: 'externalId sw "ext"', ids: [2, 4] },
      { filter: 'externalId ew "-A"', ids: [1] },
      { filter: 'externalId lt "a"', ids: [1] },
      { filter: 'externalId gt "a"', ids: [2, 3, 4] },
      { filter: 'externalId ne "EXT-A"', ids: [2, 3, 4, 5, 6] },
    ])
    .run(specification)

  test('co, sw and ew take %, _ and \\ literally: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'userName co "50%"', ids: [4] },
      { filter: 'userName sw "5_"', ids: [] },
      { filter: 'userName co "_b"', ids: [5] },
      { filter: 'userName co "_b\\c"', ids: [5] },
      { filter: 'emails sw "x_"', ids: [4] },
    ])
    .run(specification)

  test('a value is bound, never spliced into the SQL: {filter} matches {ids}')
    .with<Case[]>([
      { filter: `externalId eq "o'brien?"`, ids: [3] },
      { filter: `userName eq "x' OR '1'='1"`, ids: [] },
      { filter: 'userName co "?"', ids: [] },
    ])
    .run(specification)
})

test.group('SCIM filters on dateTime, numbers and booleans', () => {
  test('dateTime {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'meta.created eq "2024-01-01T00:00:00Z"', ids: [1] },
      { filter: 'meta.created eq "2024-01-01T02:00:00+02:00"', ids: [1] },
      { filter: 'meta.created eq "2024-01-01T01:00:00"', ids: [4] },
      { filter: 'meta.created ne "2024-01-01T00:00:00Z"', ids: [2, 3, 4, 5, 6] },
      { filter: 'meta.created gt "2024-01-01T00:00:00Z"', ids: [2, 4, 5] },
      { filter: 'meta.created ge "2024-01-01T00:00:00Z"', ids: [1, 2, 4, 5] },
      { filter: 'meta.created lt "2024-01-01T00:00:00.000Z"', ids: [6] },
      { filter: 'meta.created le "2024-01-01T00:00:00Z"', ids: [1, 6] },
      { filter: 'meta.created gt "2024-02-29T00:00:00Z"', ids: [2, 5] },
      { filter: 'meta.lastModified eq "2024-03-01T10:00:00Z"', ids: [1, 2] },
      { filter: 'meta.lastModified lt "2024-03-01T10:00:01Z"', ids: [1, 2] },
      { filter: 'meta.lastModified gt "2024-03-01T10:00:00Z"', ids: [] },
    ])
    .run(specification)

  test('integer {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'loginCount eq 5', ids: [1, 5] },
      { filter: 'loginCount eq -1', ids: [6] },
      { filter: 'loginCount ne 5', ids: [2, 3, 4, 6] },
      { filter: 'loginCount gt 4', ids: [1, 4, 5] },
      { filter: 'loginCount ge 5', ids: [1, 4, 5] },
      { filter: 'loginCount lt 0', ids: [6] },
      { filter: 'loginCount le 0', ids: [2, 6] },
    ])
    .run(specification)

  test('decimal {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'score eq 2.25', ids: [2] },
      { filter: 'score ne 1.5', ids: [2, 3, 4, 5, 6] },
      { filter: 'score gt 1.5', ids: [2] },
      { filter: 'score ge 1.5', ids: [1, 2] },
      { filter: 'score lt 2', ids: [1] },
      { filter: 'score le 2.25', ids: [1, 2] },
      { filter: 'score lt 1e1', ids: [1, 2] },
    ])
    .run(specification)

  test('boolean {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'active eq true', ids: [1, 4, 6] },
      { filter: 'active eq false', ids: [2, 5] },
      { filter: 'active ne true', ids: [2, 3, 5] },
      { filter: 'active ne false', ids: [1, 3, 4, 6] },
    ])
    .run(specification)
})

test.group('SCIM filters on presence', () => {
  test('{filter} matches {ids}')
    .with<Case[]>([
      { filter: 'userName pr', ids: [1, 2, 3, 4, 5, 6] },
      { filter: 'externalId pr', ids: [1, 2, 3, 4] },
      { filter: 'name.givenName pr', ids: [1, 2] },
      { filter: 'name.givenName eq null', ids: [3, 4, 5, 6] },
      { filter: 'name.givenName ne null', ids: [1, 2] },
      { filter: 'active pr', ids: [1, 2, 4, 5, 6] },
      { filter: 'active eq null', ids: [3] },
      { filter: 'meta.created pr', ids: [1, 2, 4, 5, 6] },
      { filter: 'loginCount eq null', ids: [3] },
      { filter: 'score pr', ids: [1, 2] },
    ])
    .run(specification)
})

test.group('SCIM filters combined with and, or, not', () => {
  test('and binds tighter than or: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'userName eq "bob" or userName eq "alice" and active eq true', ids: [1, 2] },
      { filter: '(userName eq "bob" or userName eq "alice") and active eq true', ids: [1] },
      { filter: 'active eq true and loginCount gt 4 or userName eq "bob"', ids: [1, 2, 4] },
      { filter: 'active eq true and (loginCount gt 4 or userName eq "bob")', ids: [1, 4] },
      { filter: 'not (active eq true) and loginCount eq 5', ids: [5] },
      { filter: 'not (active eq true and loginCount eq 5)', ids: [2, 3, 4, 5, 6] },
    ])
    .run(specification)

  test('not matches what lacks the value: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'not (active eq true)', ids: [2, 3, 5] },
      { filter: 'not (loginCount gt 4)', ids: [2, 3, 6] },
      { filter: 'not (name.givenName sw "a")', ids: [2, 3, 4, 5, 6] },
      { filter: 'not (active eq false or loginCount gt 4)', ids: [3, 6] },
      { filter: 'not (not (active eq true))', ids: [1, 4, 6] },
      { filter: 'not (active ne true)', ids: [1, 4, 6] },
      { filter: 'not (active eq null)', ids: [1, 2, 4, 5, 6] },
      { filter: 'not (externalId eq "EXT-A")', ids: [2, 3, 4, 5, 6] },
    ])
    .run(specification)
})

test.group('SCIM filters on multi-valued attributes', () => {
  test('a comparison matches when any element does: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'emails co "example.com"', ids: [1, 2, 4] },
      { filter: 'emails eq "a@b"', ids: [2, 6] },
      { filter: 'emails.value eq "A@B"', ids: [2, 6] },
      { filter: 'emails.type eq "work"', ids: [1, 2, 4, 6] },
      { filter: 'emails.primary eq true', ids: [1] },
      { filter: 'emails pr', ids: [1, 2, 4, 6] },
      { filter: 'emails eq null', ids: [3, 5] },
      { filter: 'emails.type pr', ids: [1, 2, 4, 5, 6] },
      { filter: 'emails ne "a@b"', ids: [1, 2, 3, 4, 5] },
      { filter: 'not (emails co "example.com")', ids: [3, 5, 6] },
    ])
    .run(specification)

  test('a value path matches when one element satisfies it all: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'emails[type eq "work" and value co "@example.com"]', ids: [1, 2, 4] },
      { filter: 'emails[type eq "home" and value ew ".org"]', ids: [1] },
      { filter: 'emails[type eq "home" and value eq "alice@example.com"]', ids: [] },
      { filter: 'emails[type eq "work" or value eq "a@b"]', ids: [1, 2, 4, 6] },
      { filter: 'emails[not (type eq "work")]', ids: [1, 2, 5] },
      { filter: 'emails[value pr]', ids: [1, 2, 4, 6] },
      { filter: 'emails[type ne "work"]', ids: [1, 2, 5] },
      { filter: 'not (emails[type eq "work"])', ids: [3, 5] },
      { filter: 'emails[type eq "work"] and emails[type eq "home"]', ids: [1, 2] },
      {
        filter: 'emails[type eq "home"] and not (emails[value pr and type eq "home"])',
        ids: [5],
      },
      { filter: 'emails[primary eq true] or userName eq "bob"', ids: [1, 2] },
    ])
    .run(specification)

  test('elements read from a joined table: {filter} matches {ids}')
    .with<Case[]>([
      { filter: 'groups eq "g-1"', ids: [1] },
      { filter: 'groups[display co "ENG"]', ids: [1, 2] },
      { filter: 'groups.display eq "sales"', ids: [1] },
      { filter: 'groups pr', ids: [1, 2] },
      { filter: 'groups ne "G-1"', ids: [1, 3, 4, 5, 6] },
      { filter: 'groups[value eq "g-2"] and emails[type eq "home"]', ids: [1] },
    ])
    .run(specification)
})

test.group('SCIM filters with a sub-attribute after a value path', () => {
  test('emails[type eq "work"].value eq "a@b" asks for one work email that is a@b', async ({
    assert,
  }) => {
    // bob's work email is other@example.com; a@b is his home email.
    assert.deepEqual(await matching('emails[type eq "work"].value eq "a@b"'), [6])
    assert.deepEqual(await matching('emails[type eq "work"] and emails.value eq "a@b"'), [2, 6])
  })

  test('{filter} matches {ids}')
    .with<Case[]>([
      { filter: 'emails[type eq "home"].value pr', ids: [1, 2] },
      { filter: 'emails[type eq "work" or type eq "home"].value eq "a@b"', ids: [2, 6] },
      { filter: 'emails[type eq "work"].value co "other" and userName eq "bob"', ids: [2] },
      { filter: 'userName eq "alice" or emails[type eq "work"].value eq "a@b"', ids: [1, 6] },
      { filter: 'not (emails[type eq "work"].value eq "a@b")', ids: [1, 2, 3, 4, 5] },
      { filter: 'EMAILS[TYPE eq "work"].VALUE eq "a@b"', ids: [6] },
      { filter: `${URN.user}:emails[type eq "work"].value eq "a@b"`, ids: [6] },
    ])
    .run(specification)
})

test.group('SCIM filter attribute names', () => {
  test('{filter} matches {ids}')
    .with<Case[]>([
      { filter: 'USERNAME eq "bob"', ids: [2] },
      { filter: `${URN.user}:userName eq "bob"`, ids: [2] },
      { filter: `${URN.user.toUpperCase()}:USERNAME eq "bob"`, ids: [2] },
      { filter: `${URN.user}:name.givenName eq "bob"`, ids: [2] },
      { filter: `${URN.user}:emails[TYPE eq "home"]`, ids: [1, 2, 5] },
      { filter: `${URN.enterpriseUser}:department eq "sales"`, ids: [1] },
      { filter: `${URN.enterpriseUser.toUpperCase()}:DEPARTMENT eq "r&d"`, ids: [2] },
      { filter: 'Emails.Type eq "home" and Meta.Created pr', ids: [1, 2, 5] },
    ])
    .run(specification)
})

test.group('SCIM filters refused with 400 invalidFilter', () => {
  test('{$self}')
    .with([
      // Not a filter
      '',
      'userName',
      'userName eq',
      'userName xx "a"',
      '(userName eq "a"',
      'userName eq "a" extra',
      'userName eq "a" and',
      'userName eq unquoted',
      'emails[type eq "work"',
      // Unknown attributes
      'nickName eq "x"',
      'emails.nope eq "x"',
      'emails[nope eq "x"]',
      'userName.value eq "x"',
      'urn:ietf:params:scim:schemas:core:2.0:Group:userName eq "x"',
      // Operators the type does not take
      'active co "x"',
      'active gt true',
      'emails.primary le false',
      'meta.created co "2024"',
      'loginCount sw 1',
      'userName gt null',
      // Values of the wrong type
      'meta.created gt "yesterday"',
      'meta.created eq "2024-01-01"',
      'meta.created eq "2024-02-30T00:00:00Z"',
      'meta.created eq "2023-02-29T00:00:00Z"',
      'meta.created eq "2024-01-01T24:00:00Z"',
      'meta.created eq 20240101',
      'active eq 1',
      'active eq "true"',
      'userName eq 5',
      'userName co true',
      'emails[value co 5]',
      'loginCount gt "5"',
      'loginCount eq 1.5',
      'score eq "1.5"',
      // Value paths where none can be
      'userName[value eq "x"]',
      'emails.value[type eq "x"]',
      'emails[type[value eq "x"]]',
      'emails[type eq "work"].value[type eq "x"]',
    ])
    .run(({ assert }, filter) => {
      const error = rejection(filter)
      assert.equal(error.status, 400)
      assert.equal(error.scimType, 'invalidFilter')
    })

  test('the detail names the unknown attribute', ({ assert }) => {
    assert.include(rejection('nickName eq "x"').message, 'nickName')
  })

  test(`a filter may nest ${FILTER_LIMITS.depth} levels, not more`, async ({ assert }) => {
    const nested = (levels: number) =>
      'not ('.repeat(levels - 1) + 'active eq true' + ')'.repeat(levels - 1)

    assert.deepEqual(await matching(nested(FILTER_LIMITS.depth)), [2, 3, 5])
    assert.equal(rejection(nested(FILTER_LIMITS.depth + 1)).scimType, 'invalidFilter')
  })

  test(`a filter may hold ${FILTER_LIMITS.comparisons} comparisons, not more`, async ({
    assert,
  }) => {
    const ored = (count: number) =>
      Array.from({ length: count }, (_, index) => `loginCount eq ${index}`).join(' or ')

    assert.deepEqual(await matching(ored(FILTER_LIMITS.comparisons)), [1, 2, 4, 5])
    assert.equal(rejection(ored(FILTER_LIMITS.comparisons + 1)).scimType, 'invalidFilter')
  })

  test('a filter longer than the limit is refused before parsing', ({ assert }) => {
    const long = `userName eq "${'x'.repeat(FILTER_LIMITS.length)}"`
    assert.equal(rejection(long).scimType, 'invalidFilter')
  })
})
