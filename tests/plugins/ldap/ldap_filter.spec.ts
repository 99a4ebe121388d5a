import { test } from '@japa/runner'
import { EqualityFilter, ExtensibleFilter, type AndFilter } from 'ldapts'
import {
  compileFilter,
  escapeFilterValue,
  everyEntryFilter,
  fillFilterTemplate,
} from '../../../plugins/ldap/ldap_filter.js'
import { normalizeDn, parseDn, sameDn } from '../../../plugins/ldap/distinguished_name.js'

const TEMPLATE = '(&(objectClass=inetOrgPerson)(uid={{username}}))'

test.group('ldap filters (RFC 4515)', () => {
  test('the characters RFC 4515 reserves are escaped as \\XX', ({ assert }) => {
    assert.equal(escapeFilterValue('*'), '\\2a')
    assert.equal(escapeFilterValue('a(b)c'), 'a\\28b\\29c')
    assert.equal(escapeFilterValue('back\\slash'), 'back\\5cslash')
    assert.equal(escapeFilterValue('nul\u0000'), 'nul\\00')
    assert.equal(escapeFilterValue('plain.name-1@x'), 'plain.name-1@x')
  })

  test('non-ASCII and control characters are escaped byte by byte (UTF-8)', ({ assert }) => {
    assert.equal(escapeFilterValue('josé'), 'jos\\c3\\a9')
    assert.equal(escapeFilterValue('日'), '\\e6\\97\\a5')
    assert.equal(escapeFilterValue('tab\there'), 'tab\\09here')
  })

  test('an injection attempt stays one equality assertion on the user name', ({ assert }) => {
    for (const username of ['*', 'ada)(uid=*', '*)(|(uid=*', 'x)(|(objectClass=*)', 'a\u0000']) {
      const filter = compileFilter(fillFilterTemplate(TEMPLATE, { username })) as AndFilter
      assert.lengthOf(filter.filters, 2)
      const uid = filter.filters[1]
      assert.instanceOf(uid, EqualityFilter)
      assert.equal((uid as EqualityFilter).attribute, 'uid')
      assert.equal((uid as EqualityFilter).value, username)
    }
  })

  test('escaped UTF-8 reaches the wire as the characters it encodes', ({ assert }) => {
    const filter = compileFilter(fillFilterTemplate(TEMPLATE, { username: 'josé' })) as AndFilter
    assert.equal((filter.filters[1] as EqualityFilter).value, 'josé')
    const raw = compileFilter('(cn=José Núñez)') as EqualityFilter
    assert.equal(raw.value, 'José Núñez')
  })

  test('Active Directory’s bit filter compiles to an extensible match', ({ assert }) => {
    const filter = compileFilter('(userAccountControl:1.2.840.113556.1.4.803:=2)')
    assert.instanceOf(filter, ExtensibleFilter)
    assert.equal((filter as ExtensibleFilter).rule, '1.2.840.113556.1.4.803')
  })

  test('malformed filters are refused', ({ assert }) => {
    for (const text of ['(&(uid=a)', 'uid=a)', '(uid=a))(cn=b)', '(uid=a', '(uid={{username}})']) {
      assert.throws(() => compileFilter(text), Error, '', text)
    }
  })

  test('the sync filter is the sign-in filter for every user name', ({ assert }) => {
    assert.equal(everyEntryFilter(TEMPLATE), '(&(objectClass=inetOrgPerson)(uid=*))')
  })
})

test.group('ldap distinguished names (RFC 4514)', () => {
  test('DNs compare case- and space-insensitively, escapes included', ({ assert }) => {
    assert.isTrue(
      sameDn('CN=Admins, OU=Groups,DC=acme,DC=test', 'cn=admins,ou=groups,dc=acme,dc=test')
    )
    assert.isTrue(sameDn('cn=Smith\\, John,dc=x', 'cn=smith\\2c john,dc=x'))
    assert.isFalse(sameDn('cn=admins,dc=x', 'cn=admins2,dc=x'))
    assert.equal(normalizeDn('uid=b+cn=A,dc=X'), 'cn=a+uid=b,dc=x')
  })

  test('values keep their escaped separators', ({ assert }) => {
    assert.deepEqual(parseDn('cn=a\\,b,dc=x'), [
      [{ type: 'cn', value: 'a,b' }],
      [{ type: 'dc', value: 'x' }],
    ])
  })

  test('what is not a DN is refused', ({ assert }) => {
    for (const text of ['', 'people', 'cn=,dc=x', 'cn=a,', '1a=b', 'cn=a\\q']) {
      assert.throws(() => parseDn(text), Error, '', text)
    }
  })
})
