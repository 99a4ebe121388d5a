import { test } from '@japa/runner'
import { applyPatch, type PatchOperation, type ScimResourceJson } from '#scim/patch/apply_patch'
import { ScimError, type ScimType } from '#scim/scim_error'
import { enterpriseUserSchema, userSchema } from '#scim/schemas/user_schema'
import { groupSchema } from '#scim/schemas/group_schema'
import { URN } from '#scim/schemas/urns'

const users = { core: userSchema, extensions: [enterpriseUserSchema] }
const groups = { core: groupSchema, extensions: [] }

const BABS = '2819c223-7f76-453a-919d-413861904646'
const MANDY = '902c246b-6245-4190-8e05-00816be7344a'
const JOHN = '26118915-6090-4610-87e4-49d8ca9f808d'
const TOUR_GUIDES = 'e9e30dba-f08f-4109-8486-d5c6a331660a'

/** Barbara Jensen as RFC 7643 section 8.3 shows her, with an enterprise extension. */
function barbara(): ScimResourceJson {
  return {
    schemas: [URN.user, URN.enterpriseUser],
    id: BABS,
    externalId: 'bjensen',
    userName: 'bjensen@example.com',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      {
        type: 'work',
        streetAddress: '100 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'US',
        primary: true,
      },
    ],
    groups: [{ value: TOUR_GUIDES, display: 'Tour Guides', type: 'direct' }],
    [URN.enterpriseUser]: {
      employeeNumber: '701984',
      department: 'Tour Operations',
      manager: { value: JOHN, displayName: 'John Smith' },
    },
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      location: `https://example.com/v2/Users/${BABS}`,
      version: 'W/"3694e05e9dff591"',
    },
  }
}

/** A user as Okta or Entra first creates it: core schema only. */
function newcomer(): ScimResourceJson {
  return {
    schemas: [URN.user],
    id: MANDY,
    userName: 'mandy@example.com',
    name: { givenName: 'Mandy', familyName: 'Pepperidge' },
    active: true,
    meta: { resourceType: 'User' },
  }
}

function tourGuides(): ScimResourceJson {
  return {
    schemas: [URN.group],
    id: TOUR_GUIDES,
    displayName: 'Tour Guides',
    members: [
      { value: BABS, display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}` },
      { value: MANDY, display: 'Mandy Pepperidge', $ref: `https://example.com/v2/Users/${MANDY}` },
    ],
    meta: { resourceType: 'Group' },
  }
}

function patchUser(operations: PatchOperation[], user = barbara()) {
  return applyPatch(user, operations, users)
}

function patchGroup(operations: PatchOperation[], group = tourGuides()) {
  return applyPatch(group, operations, groups)
}

/** The scimType the patch is rejected with. */
function rejection(patch: () => unknown): ScimType | undefined {
  try {
    patch()
  } catch (error) {
    if (error instanceof ScimError && error.status === 400) return error.scimType
    throw error
  }
  throw new Error('The patch was accepted')
}

function memberIds(group: ScimResourceJson) {
  return (group.members as { value: string }[] | undefined)?.map((member) => member.value)
}

test.group('SCIM PATCH | RFC 7644 section 3.5.2 examples', () => {
  test('a path-less add adds each attribute of the value, under its canonical name', ({
    assert,
  }) => {
    const patched = patchUser([
      {
        op: 'add',
        value: {
          emails: [{ value: 'babs@jensen.net', type: 'home' }],
          nickname: 'Babs',
        },
      },
    ])

    assert.equal(patched.nickName, 'Babs')
    assert.notProperty(patched, 'nickname')
    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@jensen.net', type: 'home' },
    ])
  })

  test('adding members appends them, without the readOnly display', ({ assert }) => {
    const patched = patchGroup(
      [
        {
          op: 'add',
          path: 'members',
          value: [
            { display: 'John Smith', $ref: `https://example.com/v2/Users/${JOHN}`, value: JOHN },
          ],
        },
      ],
      { ...tourGuides(), members: [{ value: BABS }] }
    )

    assert.deepEqual(patched.members, [
      { value: BABS },
      { $ref: `https://example.com/v2/Users/${JOHN}`, value: JOHN },
    ])
  })

  test('removes the member a filter selects', ({ assert }) => {
    const patched = patchGroup([{ op: 'remove', path: `members[value eq "${BABS}"]` }])

    assert.deepEqual(memberIds(patched), [MANDY])
  })

  test('removes every member when the path names the attribute alone', ({ assert }) => {
    const patched = patchGroup([{ op: 'remove', path: 'members' }])

    assert.notProperty(patched, 'members')
    assert.equal(patched.displayName, 'Tour Guides')
  })

  test('removes the values a complex filter selects', ({ assert }) => {
    const patched = patchUser([
      { op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' },
    ])

    assert.deepEqual(patched.emails, [{ value: 'babs@jensen.org', type: 'home' }])
  })

  test('replaces all members with those given', ({ assert }) => {
    const patched = patchGroup([
      {
        op: 'replace',
        path: 'members',
        value: [
          { display: 'Babs Jensen', value: BABS },
          { display: 'John Smith', value: JOHN },
        ],
      },
    ])

    assert.deepEqual(patched.members, [{ value: BABS }, { value: JOHN }])
  })

  test('replacing a filtered value replaces the sub-attributes given and keeps the others', ({
    assert,
  }) => {
    const patched = patchUser([
      {
        op: 'replace',
        path: 'addresses[type eq "work"]',
        value: {
          type: 'work',
          streetAddress: '911 Universal City Plaza',
          locality: 'Hollywood',
          region: 'CA',
          postalCode: '91608',
          primary: true,
        },
      },
    ])

    assert.deepEqual(patched.addresses, [
      {
        type: 'work',
        streetAddress: '911 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'US',
        primary: true,
      },
    ])
  })

  test('replaces one sub-attribute of the filtered values', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'replace',
        path: 'addresses[type eq "work"].streetAddress',
        value: '1010 Broadway Ave',
      },
    ])

    const [address] = patched.addresses as Record<string, unknown>[]
    assert.equal(address.streetAddress, '1010 Broadway Ave')
    assert.equal(address.locality, 'Hollywood')
  })

  test('a path-less replace replaces each attribute of the value', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'replace',
        value: {
          emails: [
            { value: 'bjensen@example.com', type: 'work', primary: true },
            { value: 'babs@jensen.org', type: 'home' },
          ],
          nickname: 'Babs',
        },
      },
    ])

    assert.equal(patched.nickName, 'Babs')
    assert.lengthOf(patched.emails as unknown[], 2)
  })
})

test.group('SCIM PATCH | operations', () => {
  test('accepts ops in any case and refuses others with invalidSyntax', ({ assert }) => {
    const patched = patchUser([{ op: 'REPLACE', path: 'title', value: 'Tour Guide' }])

    assert.equal(patched.title, 'Tour Guide')
    assert.equal(
      rejection(() => patchUser([{ op: 'merge', path: 'title', value: 'x' }])),
      'invalidSyntax'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'move', path: 'title' }])),
      'invalidSyntax'
    )
  })

  test('applies operations in order, each on the result of the previous', ({ assert }) => {
    const patched = patchUser([
      { op: 'add', path: 'emails', value: { value: 'babs@tours.example.com' } },
      { op: 'replace', path: 'emails[value eq "babs@tours.example.com"].type', value: 'other' },
      { op: 'remove', path: 'emails[type eq "home"]' },
    ])

    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@tours.example.com', type: 'other' },
    ])
  })

  test('returns a new representation and leaves the input untouched', ({ assert }) => {
    const user = barbara()

    const patched = patchUser(
      [
        { op: 'replace', path: 'name.givenName', value: 'Babs' },
        { op: 'add', path: 'emails', value: { value: 'babs@jensen.net', primary: true } },
        { op: 'remove', path: `${URN.enterpriseUser}:manager` },
      ],
      user
    )

    assert.deepEqual(user, barbara())
    assert.notStrictEqual(patched, user)
    assert.equal((patched.name as Record<string, unknown>).givenName, 'Babs')
  })

  test('one failing operation rejects the whole patch', ({ assert }) => {
    const user = barbara()

    const scimType = rejection(() =>
      patchUser(
        [
          { op: 'replace', path: 'displayName', value: 'Barbara J.' },
          { op: 'replace', path: 'emails[type eq "pager"]', value: { value: 'x' } },
        ],
        user
      )
    )

    assert.equal(scimType, 'noTarget')
    assert.deepEqual(user, barbara())
  })

  test('add sets a single-valued attribute and merges into a complex one', ({ assert }) => {
    const patched = patchUser([
      { op: 'add', path: 'displayName', value: 'Barbara Jensen' },
      { op: 'add', path: 'name', value: { middleName: 'Jane', honorificPrefix: 'Ms.' } },
      { op: 'add', path: 'name.honorificSuffix', value: 'III' },
    ])

    assert.equal(patched.displayName, 'Barbara Jensen')
    assert.deepEqual(patched.name, {
      familyName: 'Jensen',
      givenName: 'Barbara',
      middleName: 'Jane',
      honorificPrefix: 'Ms.',
      honorificSuffix: 'III',
    })
  })

  test('add does not duplicate a value already present', ({ assert }) => {
    const patched = patchUser([
      { op: 'add', path: 'emails', value: [{ value: 'BABS@jensen.org', type: 'home' }] },
      { op: 'add', path: 'emails', value: { value: 'babs@jensen.org' } },
    ])

    assert.deepEqual(patched.emails, barbara().emails)
  })

  test('add refuses a value filter without a sub-attribute', ({ assert }) => {
    const scimType = rejection(() =>
      patchUser([{ op: 'add', path: 'emails[type eq "work"]', value: { value: 'x@example.com' } }])
    )

    assert.equal(scimType, 'invalidPath')
  })

  test('adding an extension attribute lists the extension in schemas', ({ assert }) => {
    const patched = patchUser(
      [{ op: 'add', path: `${URN.enterpriseUser}:department`, value: 'Tour Operations' }],
      newcomer()
    )

    assert.deepEqual(patched.schemas, [URN.user, URN.enterpriseUser])
    assert.deepEqual(patched[URN.enterpriseUser], { department: 'Tour Operations' })
  })

  test('removing the last extension attribute drops the extension from schemas', ({ assert }) => {
    const user = { ...barbara(), [URN.enterpriseUser]: { department: 'Tour Operations' } }

    const patched = patchUser([{ op: 'remove', path: `${URN.enterpriseUser}:department` }], user)

    assert.deepEqual(patched.schemas, [URN.user])
    assert.notProperty(patched, URN.enterpriseUser)
  })

  test('removing an extension by its URN removes all of its attributes', ({ assert }) => {
    const patched = patchUser([{ op: 'remove', path: URN.enterpriseUser }])

    assert.deepEqual(patched.schemas, [URN.user])
    assert.notProperty(patched, URN.enterpriseUser)
  })

  test('an extension URN path takes an object of that extension’s attributes', ({ assert }) => {
    const patched = patchUser([
      { op: 'replace', path: URN.enterpriseUser, value: { Department: 'Marketing' } },
    ])

    assert.deepEqual(patched[URN.enterpriseUser], {
      employeeNumber: '701984',
      department: 'Marketing',
      manager: { value: JOHN, displayName: 'John Smith' },
    })
  })

  test('replace without a filter replaces every value of a multi-valued attribute', ({
    assert,
  }) => {
    const patched = patchUser([
      { op: 'replace', path: 'emails', value: { value: 'babs@tours.example.com', type: 'work' } },
    ])

    assert.deepEqual(patched.emails, [{ value: 'babs@tours.example.com', type: 'work' }])
  })

  test('replacing what has no value yet adds it', ({ assert }) => {
    const patched = patchUser(
      [
        { op: 'replace', path: 'nickName', value: 'Mands' },
        { op: 'replace', path: 'name.middleName', value: 'Jane' },
      ],
      newcomer()
    )

    assert.equal(patched.nickName, 'Mands')
    assert.deepEqual(patched.name, {
      givenName: 'Mandy',
      familyName: 'Pepperidge',
      middleName: 'Jane',
    })
  })

  test('replace with a filter that matches nothing is a noTarget', ({ assert }) => {
    assert.equal(
      rejection(() =>
        patchUser([{ op: 'replace', path: 'emails[type eq "other"]', value: { value: 'x' } }])
      ),
      'noTarget'
    )
    // Not an `eq` conjunction, so nothing describes the value to create.
    assert.equal(
      rejection(() =>
        patchUser([
          { op: 'replace', path: 'emails[value co "@tours.example.com"].type', value: 'work' },
        ])
      ),
      'noTarget'
    )
  })

  test('remove needs a path', ({ assert }) => {
    assert.equal(
      rejection(() => patchUser([{ op: 'remove' }])),
      'noTarget'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'remove', path: '  ' }])),
      'noTarget'
    )
  })

  test('removing what is absent, or what a filter does not find, changes nothing', ({ assert }) => {
    const patched = patchUser([
      { op: 'remove', path: 'nickName' },
      { op: 'remove', path: 'phoneNumbers' },
      { op: 'remove', path: 'emails[type eq "other"]' },
      { op: 'remove', path: 'addresses[type eq "home"].locality' },
    ])

    assert.deepEqual(patched, barbara())
  })

  test('removes a sub-attribute, and the complex attribute with its last one', ({ assert }) => {
    const patched = patchUser([
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: 'addresses[type eq "work"].streetAddress' },
      { op: 'remove', path: `${URN.enterpriseUser}:manager.value` },
    ])

    assert.deepEqual(patched.name, { familyName: 'Jensen' })
    assert.notProperty((patched.addresses as object[])[0], 'streetAddress')
    assert.deepEqual((patched[URN.enterpriseUser] as Record<string, unknown>).manager, {
      displayName: 'John Smith',
    })

    const nameless = patchUser([
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: 'name.familyName' },
    ])
    assert.notProperty(nameless, 'name')
  })

  test('names in paths and values are matched in any case and stored canonically', ({ assert }) => {
    const patched = patchUser([
      { op: 'replace', path: 'NAME.GIVENNAME', value: 'Babs' },
      { op: 'replace', value: { DisplayName: 'Babs', Name: { FamilyName: 'J.' } } },
      { op: 'replace', path: 'Emails[Type eq "WORK"].Value', value: 'babs@example.com' },
      {
        op: 'add',
        path: 'urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:user:Division',
        value: 'Tours',
      },
    ])

    assert.equal(patched.displayName, 'Babs')
    assert.deepEqual(patched.name, { familyName: 'J.', givenName: 'Babs' })
    assert.deepEqual((patched.emails as object[])[0], {
      value: 'babs@example.com',
      type: 'work',
      primary: true,
    })
    assert.equal((patched[URN.enterpriseUser] as Record<string, unknown>).division, 'Tours')
    assert.notProperty(patched, 'DisplayName')
    assert.notProperty(patched, 'Name')
  })

  test('a path naming no attribute is an invalidPath', ({ assert }) => {
    for (const path of ['nickname2', 'name.nickName', 'urn:example:params:scim:User:x', 'a.b.c']) {
      assert.equal(
        rejection(() => patchUser([{ op: 'replace', path, value: 'x' }])),
        'invalidPath',
        path
      )
    }
  })

  test('a path-less value skips keys naming no attribute', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'replace',
        value: {
          'title': 'Guide',
          'favouriteColour': 'teal',
          'urn:ietf:params:scim:schemas:extension:custom:2.0:User': { worksiteId: '180' },
        },
      },
    ])

    assert.equal(patched.title, 'Guide')
    assert.notProperty(patched, 'favouriteColour')
    assert.notProperty(patched, 'urn:ietf:params:scim:schemas:extension:custom:2.0:User')
  })

  test('a malformed path is an invalidPath and a bad filter an invalidFilter', ({ assert }) => {
    const reject = (path: string) =>
      rejection(() => patchUser([{ op: 'replace', path, value: 'x' }]))

    assert.equal(reject('emails[type eq "work"'), 'invalidPath')
    assert.equal(reject('emails[type eq "work"]value'), 'invalidPath')
    assert.equal(reject('emails.value'), 'invalidPath')
    assert.equal(reject('name[givenName eq "Babs"]'), 'invalidPath')
    assert.equal(reject('emails[type eq]'), 'invalidFilter')
    assert.equal(reject('emails[colour eq "red"].value'), 'invalidFilter')
    assert.equal(reject('emails[primary gt true].value'), 'invalidFilter')
  })

  test('add and replace need a value', ({ assert }) => {
    assert.equal(
      rejection(() => patchUser([{ op: 'add', path: 'title' }])),
      'invalidValue'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'replace', value: 'Babs' }])),
      'invalidValue'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'add', path: 'name', value: ['x'] }])),
      'invalidValue'
    )
  })

  test('values are stored as given, without coercion', ({ assert }) => {
    const patched = patchUser([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'replace', path: 'emails[type eq "work"].primary', value: 'True' },
    ])

    assert.strictEqual(patched.active, 'False')
    assert.strictEqual((patched.emails as Record<string, unknown>[])[0].primary, 'True')
  })
})

test.group('SCIM PATCH | mutability', () => {
  test('any operation on a readOnly attribute is refused with mutability', ({ assert }) => {
    const operations: PatchOperation[] = [
      { op: 'replace', path: 'id', value: 'forged' },
      { op: 'remove', path: 'id' },
      { op: 'add', path: 'meta', value: { version: 'W/"1"' } },
      { op: 'replace', path: 'meta.lastModified', value: '2030-01-01T00:00:00Z' },
      { op: 'add', path: 'groups', value: { value: 'another-group' } },
      { op: 'remove', path: `groups[value eq "${TOUR_GUIDES}"]` },
      { op: 'replace', path: `${URN.enterpriseUser}:manager.displayName`, value: 'Boss' },
      { op: 'remove', path: 'schemas' },
      { op: 'add', path: 'schemas', value: ['urn:example:extension'] },
    ]

    for (const operation of operations) {
      assert.equal(
        rejection(() => patchUser([operation])),
        'mutability',
        JSON.stringify(operation)
      )
    }
  })

  test('a path-less value may repeat a readOnly value, not change it', ({ assert }) => {
    const patched = patchUser([{ op: 'replace', value: { id: BABS, displayName: 'Babs' } }])

    assert.equal(patched.displayName, 'Babs')
    assert.equal(
      rejection(() => patchUser([{ op: 'replace', value: { id: 'forged', displayName: 'Babs' } }])),
      'mutability'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'add', value: { groups: [{ value: 'another-group' }] } }])),
      'mutability'
    )
  })

  test('readOnly sub-attributes inside a value are ignored', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'replace',
        path: `${URN.enterpriseUser}:manager`,
        value: { value: MANDY, displayName: 'Mandy Pepperidge' },
      },
    ])

    // The server fills in the manager's displayName; the stale one stays until it does.
    assert.deepEqual((patched[URN.enterpriseUser] as Record<string, unknown>).manager, {
      value: MANDY,
      displayName: 'John Smith',
    })
  })

  test('a required attribute cannot be removed or unassigned', ({ assert }) => {
    assert.equal(
      rejection(() => patchUser([{ op: 'remove', path: 'userName' }])),
      'mutability'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'replace', path: 'userName', value: null }])),
      'mutability'
    )
    assert.equal(
      rejection(() => patchUser([{ op: 'replace', value: { userName: null } }])),
      'mutability'
    )
    assert.equal(
      rejection(() => patchGroup([{ op: 'remove', path: 'displayName' }])),
      'mutability'
    )
  })

  test('an immutable sub-attribute keeps the value it has', ({ assert }) => {
    assert.equal(
      rejection(() =>
        patchGroup([{ op: 'replace', path: `members[value eq "${BABS}"].value`, value: JOHN }])
      ),
      'mutability'
    )

    const typed = patchGroup([
      { op: 'add', path: `members[value eq "${BABS}"].type`, value: 'User' },
    ])
    assert.equal((typed.members as Record<string, unknown>[])[0].type, 'User')
  })
})

test.group('SCIM PATCH | primary values', () => {
  test('adding a primary value takes the flag from the others', ({ assert }) => {
    const patched = patchUser([
      { op: 'add', path: 'emails', value: { value: 'babs@tours.example.com', primary: true } },
    ])

    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@tours.example.com', primary: true },
    ])
  })

  test('making a filtered value primary takes the flag from the others', ({ assert }) => {
    const patched = patchUser([
      { op: 'replace', path: 'emails[type eq "home"].primary', value: true },
    ])

    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ])
  })

  test('re-adding an existing value as primary moves the flag without duplicating it', ({
    assert,
  }) => {
    const patched = patchUser([
      {
        op: 'add',
        path: 'emails',
        value: [{ value: 'babs@jensen.org', type: 'home', primary: true }],
      },
    ])

    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ])
  })

  test('a value re-added without primary does not take the flag back', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'add',
        path: 'emails',
        value: [
          { value: 'babs@tours.example.com', primary: true },
          { value: 'bjensen@example.com', type: 'work' },
        ],
      },
    ])

    assert.deepEqual(patched.emails, [
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@tours.example.com', primary: true },
    ])
  })

  test('of several primary values given at once, the last one keeps the flag', ({ assert }) => {
    const patched = patchUser([
      {
        op: 'replace',
        path: 'phoneNumbers',
        value: [
          { value: '555-555-5555', type: 'work', primary: true },
          { value: '555-555-4444', type: 'mobile', primary: 'True' },
        ],
      },
    ])

    assert.deepEqual(patched.phoneNumbers, [
      { value: '555-555-5555', type: 'work', primary: false },
      { value: '555-555-4444', type: 'mobile', primary: 'True' },
    ])
  })
})

test.group('SCIM PATCH | Okta', () => {
  test('deactivates a user with a path-less replace', ({ assert }) => {
    const patched = patchUser([{ op: 'replace', value: { active: false } }])

    assert.strictEqual(patched.active, false)
  })

  test('renames a group with a path-less replace that repeats its id', ({ assert }) => {
    const patched = patchGroup([
      { op: 'replace', value: { id: TOUR_GUIDES, displayName: 'Tour Guides EMEA' } },
    ])

    assert.equal(patched.displayName, 'Tour Guides EMEA')
    assert.equal(patched.id, TOUR_GUIDES)
  })

  test('pushes group membership: add with display, remove by filter', ({ assert }) => {
    const patched = patchGroup([
      { op: 'add', path: 'members', value: [{ value: JOHN, display: 'john@example.com' }] },
      { op: 'remove', path: `members[value eq "${MANDY}"]` },
    ])

    assert.deepEqual(memberIds(patched), [BABS, JOHN])
  })
})

test.group('SCIM PATCH | Microsoft Entra ID', () => {
  test('applies a user update sequence with capitalised ops', ({ assert }) => {
    const patched = patchUser([
      { op: 'Replace', path: 'displayName', value: 'Barbara Jensen-Smith' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'barbara@example.com' },
      { op: 'Replace', path: 'name.familyName', value: 'Jensen-Smith' },
      { op: 'Replace', path: `${URN.enterpriseUser}:department`, value: 'Marketing' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Replace', path: 'active', value: 'False' },
    ])

    assert.equal(patched.displayName, 'Barbara Jensen-Smith')
    assert.deepEqual((patched.emails as object[])[0], {
      value: 'barbara@example.com',
      type: 'work',
      primary: true,
    })
    assert.equal((patched.name as Record<string, unknown>).familyName, 'Jensen-Smith')
    assert.equal((patched[URN.enterpriseUser] as Record<string, unknown>).department, 'Marketing')
    assert.deepEqual(patched.phoneNumbers, [{ type: 'mobile', value: '+1 555 0100' }])
    assert.strictEqual(patched.active, 'False')
  })

  test('applies a path-less replace keyed by sub-attribute paths and URNs', ({ assert }) => {
    const patched = patchUser(
      [
        {
          op: 'replace',
          value: {
            'displayName': 'Mandy P.',
            'name.givenName': 'Amanda',
            'name.familyName': 'Pepperidge',
            'emails[type eq "work"].value': 'mandy@example.com',
            'externalId': 'mpepperidge',
            [`${URN.enterpriseUser}:employeeNumber`]: '42',
            [URN.enterpriseUser]: { costCenter: 'CC-7' },
            'active': 'True',
          },
        },
      ],
      newcomer()
    )

    assert.deepEqual(patched, {
      schemas: [URN.user, URN.enterpriseUser],
      id: MANDY,
      userName: 'mandy@example.com',
      name: { givenName: 'Amanda', familyName: 'Pepperidge' },
      active: 'True',
      meta: { resourceType: 'User' },
      displayName: 'Mandy P.',
      emails: [{ type: 'work', value: 'mandy@example.com' }],
      externalId: 'mpepperidge',
      [URN.enterpriseUser]: { employeeNumber: '42', costCenter: 'CC-7' },
    })
  })

  test('replacing the work email of a user without one adds it', ({ assert }) => {
    const patched = patchUser(
      [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'mandy@example.com' }],
      newcomer()
    )

    assert.deepEqual(patched.emails, [{ type: 'work', value: 'mandy@example.com' }])
  })

  test('sets the manager from a bare id', ({ assert }) => {
    const patched = patchUser(
      [{ op: 'Add', path: `${URN.enterpriseUser}:manager`, value: JOHN }],
      newcomer()
    )

    assert.deepEqual(patched[URN.enterpriseUser], { manager: { value: JOHN } })
    assert.include(patched.schemas as string[], URN.enterpriseUser)
  })

  test('removes only the members listed in the value', ({ assert }) => {
    const group = {
      ...tourGuides(),
      members: [{ value: BABS }, { value: MANDY }, { value: JOHN }],
    }

    const patched = patchGroup(
      [
        {
          op: 'Remove',
          path: 'members',
          value: [{ value: BABS }, { value: JOHN, $ref: null }],
        },
      ],
      group
    )

    assert.deepEqual(memberIds(patched), [MANDY])
  })

  test('an empty list of members to remove removes none', ({ assert }) => {
    const patched = patchGroup([{ op: 'Remove', path: 'members', value: [] }])

    assert.deepEqual(memberIds(patched), [BABS, MANDY])
  })

  test('adds members given with a null $ref, once each', ({ assert }) => {
    const patched = patchGroup([
      {
        op: 'Add',
        path: 'members',
        value: [
          { value: JOHN, $ref: null },
          { value: BABS, $ref: null },
        ],
      },
    ])

    assert.deepEqual(memberIds(patched), [BABS, MANDY, JOHN])
    assert.deepEqual((patched.members as object[])[2], { value: JOHN })
  })

  test('removing a member already gone succeeds', ({ assert }) => {
    const patched = patchGroup([{ op: 'Remove', path: `members[value eq "${JOHN}"]` }])

    assert.deepEqual(memberIds(patched), [BABS, MANDY])
  })
})
