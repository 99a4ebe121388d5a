import {
  attribute,
  multiValued,
  type ScimAttribute,
  type ScimSchema,
} from '#scim/schemas/attribute'
import { URN } from '#scim/schemas/urns'

/** value, display, type and primary: the shape of most multi-valued attributes. */
function plural(name: string, description: string, types: string[], valueType = 'string' as const) {
  return multiValued(name, description, [
    attribute('value', valueType, `The ${name} value`),
    attribute('display', 'string', 'A human-readable name, for display only'),
    attribute('type', 'string', 'A label for this value', { canonicalValues: types }),
    attribute('primary', 'boolean', 'Whether this is the preferred value'),
  ])
}

const name = attribute('name', 'complex', "The components of the user's name", {
  subAttributes: [
    attribute('formatted', 'string', 'The full name, formatted for display'),
    attribute('familyName', 'string', 'The family name'),
    attribute('givenName', 'string', 'The given name'),
    attribute('middleName', 'string', 'The middle name(s)'),
    attribute('honorificPrefix', 'string', 'Honorific prefix, e.g. "Ms."'),
    attribute('honorificSuffix', 'string', 'Honorific suffix, e.g. "III"'),
  ],
})

const addresses = multiValued('addresses', 'Physical mailing addresses', [
  attribute('formatted', 'string', 'The full address, formatted for display'),
  attribute('streetAddress', 'string', 'Street address'),
  attribute('locality', 'string', 'City or locality'),
  attribute('region', 'string', 'State or region'),
  attribute('postalCode', 'string', 'Zip or postal code'),
  attribute('country', 'string', 'Country (ISO 3166-1 alpha-2)'),
  attribute('type', 'string', 'A label for this address', {
    canonicalValues: ['work', 'home', 'other'],
  }),
  attribute('primary', 'boolean', 'Whether this is the preferred address'),
])

const groups = multiValued(
  'groups',
  'Groups the user belongs to, changed through the Groups endpoint only',
  [
    attribute('value', 'string', 'The id of the group', { mutability: 'readOnly' }),
    attribute('$ref', 'reference', 'The URI of the group', {
      mutability: 'readOnly',
      referenceTypes: ['Group'],
    }),
    attribute('display', 'string', 'The name of the group', { mutability: 'readOnly' }),
    attribute('type', 'string', 'direct', { mutability: 'readOnly', canonicalValues: ['direct'] }),
  ],
  { mutability: 'readOnly' }
)

const userAttributes: ScimAttribute[] = [
  attribute('userName', 'string', 'Unique identifier of the user, case-insensitive', {
    required: true,
    uniqueness: 'server',
  }),
  name,
  attribute('displayName', 'string', 'The name shown to other members'),
  attribute('nickName', 'string', 'The casual way to address the user'),
  attribute('profileUrl', 'reference', "The user's online profile", {
    referenceTypes: ['external'],
  }),
  attribute('title', 'string', "The user's title, e.g. Vice President"),
  attribute('userType', 'string', 'The relationship to the organization, e.g. Employee'),
  attribute('preferredLanguage', 'string', 'Preferred written or spoken language (RFC 7231)'),
  attribute('locale', 'string', 'Default location for localization, e.g. en-US'),
  attribute('timezone', 'string', 'Time zone in the IANA database, e.g. Europe/Paris'),
  attribute('active', 'boolean', 'Whether the user may sign in; false deactivates the member'),
  plural('emails', 'Email addresses; the primary one is the sign-in email', [
    'work',
    'home',
    'other',
  ]),
  plural('phoneNumbers', 'Phone numbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  plural('ims', 'Instant messaging addresses', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype']),
  plural('photos', 'URLs of photos of the user', ['photo', 'thumbnail']),
  addresses,
  groups,
  plural('entitlements', 'Entitlements of the user', []),
  plural('roles', 'Roles of the user in the directory', []),
]

export const userSchema: ScimSchema = {
  id: URN.user,
  name: 'User',
  description: 'A member of the workspace',
  attributes: userAttributes,
}

export const enterpriseUserSchema: ScimSchema = {
  id: URN.enterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise attributes of a user',
  attributes: [
    attribute('employeeNumber', 'string', 'Identifier assigned by the organization'),
    attribute('costCenter', 'string', 'Name of a cost center'),
    attribute('organization', 'string', 'Name of an organization'),
    attribute('division', 'string', 'Name of a division'),
    attribute('department', 'string', 'Name of a department'),
    attribute('manager', 'complex', "The user's manager", {
      subAttributes: [
        attribute('value', 'string', 'The id of the manager in this workspace'),
        attribute('$ref', 'reference', 'The URI of the manager', { referenceTypes: ['User'] }),
        attribute('displayName', 'string', "The manager's display name", {
          mutability: 'readOnly',
        }),
      ],
    }),
  ],
}
