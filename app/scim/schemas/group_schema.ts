import { attribute, multiValued, type ScimSchema } from '#scim/schemas/attribute'
import { URN } from '#scim/schemas/urns'

export const groupSchema: ScimSchema = {
  id: URN.group,
  name: 'Group',
  description: 'A group of members; mapped to roles or projects by admins',
  attributes: [
    attribute('displayName', 'string', 'The name of the group', {
      required: true,
      uniqueness: 'server',
    }),
    multiValued('members', 'Members of the group (users only)', [
      attribute('value', 'string', 'The id of the member', { mutability: 'immutable' }),
      attribute('$ref', 'reference', 'The URI of the member', {
        mutability: 'immutable',
        referenceTypes: ['User'],
      }),
      attribute('display', 'string', 'The name of the member', { mutability: 'readOnly' }),
      attribute('type', 'string', 'The kind of member', {
        mutability: 'immutable',
        canonicalValues: ['User'],
      }),
    ]),
  ],
}
