import { TenantContext } from '#tenancy/tenant_context'
import type { ScimAttribute } from '#scim/schemas/attribute'
import { enterpriseUserSchema, userSchema } from '#scim/schemas/user_schema'
import { URN } from '#scim/schemas/urns'
import type {
  FilterSchema,
  FilterValueType,
  MultiValuedFilterAttribute,
} from '#scim/filters/filter_schema'

/*
 * How each User attribute is read in SQL, over `users u LEFT JOIN
 * scim_users s`: the account's own columns where Tandem keeps the value
 * (userName falls back to the email, displayName is the member's name),
 * the stored SCIM attributes otherwise.
 */

function valueType(definition: ScimAttribute): FilterValueType {
  return definition.type === 'reference' || definition.type === 'complex'
    ? 'string'
    : definition.type
}

/** Text of a stored attribute; `path` is made of schema names, never of client input. */
function stored(path: string[], type: FilterValueType, element = 's.attributes') {
  const text = `${element} #>> '{${path.map((part) => `"${part}"`).join(',')}}'`
  return type === 'boolean' ? `(${text})::boolean` : text
}

/** A member's emails: the stored ones, or the account's email for members SCIM never wrote. */
const EMAILS = `coalesce(s.attributes->'emails', jsonb_build_array(jsonb_build_object('value', u.email, 'type', 'work', 'primary', true)))`

function multiValued(definition: ScimAttribute): MultiValuedFilterAttribute {
  const elements = definition.name === 'emails' ? EMAILS : `s.attributes->'${definition.name}'`
  const subAttributes: MultiValuedFilterAttribute['subAttributes'] = {}
  for (const sub of definition.subAttributes ?? []) {
    const type = valueType(sub)
    subAttributes[sub.name] = {
      type,
      caseExact: sub.caseExact,
      sql: (alias) => stored([sub.name], type, alias),
    }
  }
  return {
    kind: 'multi',
    from: (alias) => `jsonb_array_elements(coalesce(${elements}, '[]'::jsonb)) AS ${alias}`,
    subAttributes,
    defaultSubAttribute: 'value',
  }
}

function storedAttributes(definitions: ScimAttribute[], prefix: string[], namePrefix: string) {
  const attributes: FilterSchema['attributes'] = {}
  for (const definition of definitions) {
    const name = `${namePrefix}${definition.name}`
    if (definition.multiValued) {
      attributes[name] = multiValued(definition)
    } else if (definition.type === 'complex') {
      for (const sub of definition.subAttributes ?? []) {
        const type = valueType(sub)
        attributes[`${name}.${sub.name}`] = {
          kind: 'scalar',
          type,
          caseExact: sub.caseExact,
          sql: stored([...prefix, definition.name, sub.name], type),
        }
      }
    } else {
      const type = valueType(definition)
      attributes[name] = {
        kind: 'scalar',
        type,
        caseExact: definition.caseExact,
        sql: stored([...prefix, definition.name], type),
      }
    }
  }
  return attributes
}

export function userFilterSchema(): FilterSchema {
  const memberships = TenantContext.table('scim_group_members')
  const groups = TenantContext.table('scim_groups')
  const scimUsers = TenantContext.table('scim_users')
  const users = TenantContext.table('users')
  return {
    coreSchema: URN.user,
    attributes: {
      ...storedAttributes(userSchema.attributes, [], ''),
      ...storedAttributes(
        enterpriseUserSchema.attributes,
        [URN.enterpriseUser],
        `${URN.enterpriseUser}:`
      ),
      'id': { kind: 'scalar', type: 'string', caseExact: true, sql: 'u.id::text' },
      'externalId': { kind: 'scalar', type: 'string', caseExact: true, sql: 's.external_id' },
      'userName': {
        kind: 'scalar',
        type: 'string',
        caseExact: false,
        sql: 'coalesce(s.user_name, u.email)',
        // The IdP's lookup before every create: answered from the two
        // lower() indexes, not by joining every member (benchmarks.md).
        equality: (value) =>
          `u.id IN (SELECT x.user_id FROM ${scimUsers} x WHERE lower(x.user_name) = lower(${value})
            UNION ALL
            SELECT y.id FROM ${users} y WHERE lower(y.email) = lower(${value})
              AND NOT EXISTS (SELECT 1 FROM ${scimUsers} z WHERE z.user_id = y.id))`,
      },
      'displayName': { kind: 'scalar', type: 'string', caseExact: false, sql: 'u.full_name' },
      'active': { kind: 'scalar', type: 'boolean', caseExact: false, sql: `(u.status = 'active')` },
      'meta.created': { kind: 'scalar', type: 'dateTime', caseExact: false, sql: 'u.created_at' },
      'meta.lastModified': {
        kind: 'scalar',
        type: 'dateTime',
        caseExact: false,
        sql: 'greatest(u.updated_at, s.updated_at)',
      },
      'groups': {
        kind: 'multi',
        from: (alias) => `${memberships} AS ${alias}`,
        where: (alias) => `${alias}.user_id = u.id`,
        subAttributes: {
          value: { type: 'string', caseExact: true, sql: (alias) => `${alias}.group_id::text` },
          display: {
            type: 'string',
            caseExact: false,
            sql: (alias) =>
              `(SELECT g.display_name FROM ${groups} g WHERE g.id = ${alias}.group_id)`,
          },
        },
        defaultSubAttribute: 'value',
      },
    },
  }
}
