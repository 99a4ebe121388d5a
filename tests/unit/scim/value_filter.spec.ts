import { test } from '@japa/runner'
import { ValueFilter } from '#scim/patch/value_filter'
import { attribute, multiValued } from '#scim/schemas/attribute'
import { userSchema } from '#scim/schemas/user_schema'
import { findAttribute } from '#scim/schemas/attribute'

const emails = findAttribute(userSchema.attributes, 'emails')!

/** A multi-valued attribute with every type of sub-attribute, one of them caseExact. */
const badges = multiValued('badges', 'Badges earned', [
  attribute('code', 'string', 'Badge code', { caseExact: true }),
  attribute('label', 'string', 'Badge label'),
  attribute('level', 'integer', 'Badge level'),
  attribute('awarded', 'dateTime', 'When the badge was awarded'),
  attribute('active', 'boolean', 'Whether the badge counts'),
])

const workEmail = { value: 'Bjensen@Example.com', type: 'work', primary: true }
const homeEmail = { value: 'babs@jensen.org', type: 'home' }
const badge = { code: 'GUIDE-1', label: 'Guide', level: 3, awarded: '2011-05-13T04:42:34Z' }

function matches(filter: string, element: unknown, on = emails) {
  return new ValueFilter(on, filter).matches(element)
}

test.group('SCIM PATCH value filters', () => {
  test('strings compare case-insensitively unless caseExact', ({ assert }) => {
    assert.isTrue(matches('type eq "WORK"', workEmail))
    assert.isTrue(matches('value eq "bjensen@example.com"', workEmail))
    assert.isTrue(matches('label eq "GUIDE"', badge, badges))
    assert.isFalse(matches('code eq "guide-1"', badge, badges))
    assert.isTrue(matches('code eq "GUIDE-1"', badge, badges))
  })

  test('booleans match "True" and "False" strings too', ({ assert }) => {
    assert.isTrue(matches('primary eq true', workEmail))
    assert.isTrue(matches('primary eq true', { ...workEmail, primary: 'True' }))
    assert.isTrue(matches('primary eq "true"', workEmail))
    assert.isFalse(matches('primary eq true', homeEmail))
    assert.isTrue(matches('primary ne true', homeEmail))
    assert.isTrue(matches('active eq false', { active: 'False' }, badges))
  })

  test('numbers and dateTimes compare by value', ({ assert }) => {
    assert.isTrue(matches('level gt 2', badge, badges))
    assert.isTrue(matches('level eq 3', { level: '3' }, badges))
    assert.isFalse(matches('level lt 3', badge, badges))
    assert.isTrue(matches('awarded ge "2011-05-13T04:42:34.000Z"', badge, badges))
    assert.isTrue(matches('awarded lt "2012-01-01T00:00:00Z"', badge, badges))
  })

  test('supports and, or, not, pr and the substring operators', ({ assert }) => {
    assert.isTrue(matches('type eq "work" and value co "EXAMPLE"', workEmail))
    assert.isTrue(matches('type eq "other" or value sw "babs"', homeEmail))
    assert.isTrue(matches('not (type eq "work")', homeEmail))
    assert.isTrue(matches('primary pr', workEmail))
    assert.isFalse(matches('primary pr', homeEmail))
    assert.isTrue(matches('value ew ".org"', homeEmail))
  })

  test('a sub-attribute with no value equals nothing but null', ({ assert }) => {
    assert.isFalse(matches('display eq "Babs"', homeEmail))
    assert.isTrue(matches('display ne "Babs"', homeEmail))
    assert.isTrue(matches('display eq null', homeEmail))
  })

  test('describes the value an eq-only conjunction selects', ({ assert }) => {
    assert.deepEqual(new ValueFilter(emails, 'type eq "work"').describedElement(), {
      type: 'work',
    })
    assert.deepEqual(
      new ValueFilter(emails, 'TYPE eq "work" and primary eq true').describedElement(),
      { type: 'work', primary: true }
    )
    assert.isUndefined(
      new ValueFilter(emails, 'type eq "work" or type eq "home"').describedElement()
    )
    assert.isUndefined(
      new ValueFilter(emails, 'type eq "work" and type eq "home"').describedElement()
    )
    assert.isUndefined(new ValueFilter(emails, 'value co "@example.com"').describedElement())
  })
})
