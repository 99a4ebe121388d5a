import type {
  FilterAttribute,
  FilterSchema,
  FilterSubAttribute,
  FilterValue,
  MultiValuedFilterAttribute,
  ScalarFilterAttribute,
} from '#scim/filters/filter_schema'

/**
 * What an attribute path names: one value of the resource, or one
 * sub-attribute of each element of a multi-valued attribute (`emails`
 * alone meaning its default sub-attribute).
 */
export type AttributeTarget =
  | { kind: 'scalar'; attribute: ScalarFilterAttribute }
  | {
      kind: 'elements'
      attribute: MultiValuedFilterAttribute
      subAttribute: FilterSubAttribute
    }

/**
 * The attribute a path names exactly (`emails`, `name.givenName`), with
 * names compared case-insensitively (RFC 7643 section 2.1) and the core
 * schema URN prefix optional.
 */
export function findAttribute(path: string, schema: FilterSchema): FilterAttribute | undefined {
  let wanted = path.toLowerCase()
  const corePrefix = `${schema.coreSchema.toLowerCase()}:`
  if (wanted.startsWith(corePrefix)) {
    wanted = wanted.slice(corePrefix.length)
  }
  return findByName(schema.attributes, wanted)
}

/** A path's target: an attribute, or `<multi-valued attribute>.<sub-attribute>`. */
export function resolveAttributePath(
  path: string,
  schema: FilterSchema
): AttributeTarget | undefined {
  const attribute = findAttribute(path, schema)
  if (attribute?.kind === 'scalar') {
    return { kind: 'scalar', attribute }
  }
  if (attribute) {
    const subAttribute = findSubAttribute(attribute, attribute.defaultSubAttribute)
    return subAttribute && { kind: 'elements', attribute, subAttribute }
  }

  // The sub-attribute name never holds a dot; URNs do ("2.0"), so split at the last one.
  const dot = path.lastIndexOf('.')
  if (dot === -1) {
    return undefined
  }
  const parent = findAttribute(path.slice(0, dot), schema)
  const subAttribute = parent?.kind === 'multi' && findSubAttribute(parent, path.slice(dot + 1))
  return subAttribute ? { kind: 'elements', attribute: parent, subAttribute } : undefined
}

export function findSubAttribute(
  attribute: MultiValuedFilterAttribute,
  name: string
): FilterSubAttribute | undefined {
  return findByName(attribute.subAttributes, name.toLowerCase())
}

/** A sub-attribute read as a value of the element under `alias`. */
export function elementValue(subAttribute: FilterSubAttribute, alias: string): FilterValue {
  return {
    type: subAttribute.type,
    caseExact: subAttribute.caseExact,
    sql: subAttribute.sql(alias),
  }
}

/**
 * The value cast to the type it is compared as; strings that are not
 * caseExact are lowered, so equal-but-for-case values compare equal.
 */
export function comparableSql(value: FilterValue): string {
  switch (value.type) {
    case 'string':
      return value.caseExact ? `(${value.sql})::text` : `lower((${value.sql})::text)`
    case 'boolean':
      return `(${value.sql})::boolean`
    case 'dateTime':
      return `(${value.sql})::timestamptz`
    case 'integer':
    case 'decimal':
      return `(${value.sql})::numeric`
  }
}

/**
 * The value as gt/ge/lt/le and sortBy order it. Strings order by code
 * point (the "C" collation), so neither the results nor the pages depend
 * on the database's locale, and filters and sorting agree.
 */
export function orderingSql(value: FilterValue): string {
  const comparable = comparableSql(value)
  return value.type === 'string' ? `(${comparable} COLLATE "C")` : comparable
}

function findByName<T>(entries: Record<string, T>, lowercaseName: string): T | undefined {
  const key = Object.keys(entries).find((name) => name.toLowerCase() === lowercaseName)
  return key === undefined ? undefined : entries[key]
}
