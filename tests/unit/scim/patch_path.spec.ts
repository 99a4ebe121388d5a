import { test } from '@japa/runner'
import { parsePatchPath, resolvePatchPath, type AttributePath } from '#scim/patch/patch_path'
import { ScimError } from '#scim/scim_error'
import { enterpriseUserSchema, userSchema } from '#scim/schemas/user_schema'
import { groupSchema } from '#scim/schemas/group_schema'
import { URN } from '#scim/schemas/urns'

const users = { core: userSchema, extensions: [enterpriseUserSchema] }
const groups = { core: groupSchema, extensions: [] }

/** A parsed path in the words of its definitions: schema, attribute, whether filtered, sub-attribute. */
function describe(path: string, schemas = users) {
  const parsed = parsePatchPath(path, schemas)
  if (parsed.kind === 'schema') return { schema: parsed.schema.id }
  return {
    schema: parsed.schema.id,
    attribute: parsed.attribute.name,
    filtered: parsed.filter !== undefined,
    subAttribute: parsed.subAttribute?.name,
  }
}

function scimTypeOf(path: string) {
  try {
    parsePatchPath(path, users)
  } catch (error) {
    if (error instanceof ScimError) return error.scimType
    throw error
  }
}

test.group('SCIM PATCH paths', () => {
  test('resolves {path}')
    .with([
      { path: 'displayName', expected: [URN.user, 'displayName', false, undefined] },
      { path: 'name.familyName', expected: [URN.user, 'name', false, 'familyName'] },
      { path: 'emails[type eq "work"]', expected: [URN.user, 'emails', true, undefined] },
      { path: 'emails[type eq "work"].value', expected: [URN.user, 'emails', true, 'value'] },
      { path: 'externalId', expected: [URN.user, 'externalId', false, undefined] },
      { path: 'meta.lastModified', expected: [URN.user, 'meta', false, 'lastModified'] },
      {
        path: `${URN.enterpriseUser}:department`,
        expected: [URN.enterpriseUser, 'department', false, undefined],
      },
      {
        path: `${URN.enterpriseUser}:manager.value`,
        expected: [URN.enterpriseUser, 'manager', false, 'value'],
      },
      { path: `${URN.user}:userName`, expected: [URN.user, 'userName', false, undefined] },
      { path: 'USERNAME', expected: [URN.user, 'userName', false, undefined] },
      { path: ' name.GivenName ', expected: [URN.user, 'name', false, 'givenName'] },
      { path: 'manager', expected: [URN.enterpriseUser, 'manager', false, undefined] },
    ])
    .run(({ assert }, { path, expected }) => {
      const [schema, attribute, filtered, subAttribute] = expected
      assert.deepEqual(describe(path), { schema, attribute, filtered, subAttribute })
    })

  test('resolves a filtered member path on a group', ({ assert }) => {
    assert.deepEqual(describe('members[value eq "2819c223-7f76"]', groups), {
      schema: URN.group,
      attribute: 'members',
      filtered: true,
      subAttribute: undefined,
    })
  })

  test('reads an extension URN alone as the whole extension', ({ assert }) => {
    assert.deepEqual(describe(URN.enterpriseUser), { schema: URN.enterpriseUser })
  })

  test('keeps brackets and quotes inside a filter string', ({ assert }) => {
    const parsed = parsePatchPath('emails[value eq "odd]\\"name@example.com"].type', users)
    const { filter, subAttribute } = parsed as AttributePath

    assert.equal(subAttribute?.name, 'type')
    assert.isTrue(filter?.matches({ value: 'ODD]"name@example.com' }))
  })

  test('an unknown name resolves to nothing, and parses as an invalidPath', ({ assert }) => {
    assert.isUndefined(resolvePatchPath('favouriteColour', users))
    assert.isUndefined(resolvePatchPath('name.nickName', users))
    assert.isUndefined(resolvePatchPath(`${URN.enterpriseUser}:userName`, users))
    assert.equal(scimTypeOf('favouriteColour'), 'invalidPath')
  })

  test('refuses {path} with {scimType}')
    .with([
      { path: 'emails[type eq "work"', scimType: 'invalidPath' },
      { path: 'emails[type eq "work"].', scimType: 'invalidPath' },
      { path: 'emails[type eq "work"]x', scimType: 'invalidPath' },
      { path: 'emails[members[value eq "x"]]', scimType: 'invalidPath' },
      { path: 'emails.value', scimType: 'invalidPath' },
      { path: 'displayName[value eq "x"]', scimType: 'invalidPath' },
      { path: 'emails[type eq ]', scimType: 'invalidFilter' },
      { path: 'emails[kind eq "work"]', scimType: 'invalidFilter' },
      { path: 'emails[primary lt true]', scimType: 'invalidFilter' },
    ])
    .run(({ assert }, { path, scimType }) => {
      assert.equal(scimTypeOf(path), scimType)
    })
})
