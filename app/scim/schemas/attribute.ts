/**
 * An attribute definition as RFC 7643 section 7 describes it; the same
 * objects are served by `/Schemas` and drive filtering, PATCH and input
 * checking, so what the server says it supports is what it does.
 */
export interface ScimAttribute {
  name: string
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex'
  multiValued: boolean
  description: string
  required: boolean
  caseExact: boolean
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly'
  returned: 'always' | 'never' | 'default' | 'request'
  uniqueness: 'none' | 'server' | 'global'
  canonicalValues?: string[]
  referenceTypes?: string[]
  subAttributes?: ScimAttribute[]
}

export interface ScimSchema {
  id: string
  name: string
  description: string
  attributes: ScimAttribute[]
}

type Options = Partial<Omit<ScimAttribute, 'name' | 'type' | 'description'>>

const defaults = {
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
} as const

export function attribute(
  name: string,
  type: ScimAttribute['type'],
  description: string,
  options: Options = {}
): ScimAttribute {
  return { name, type, description, ...defaults, ...options }
}

/** A multi-valued complex attribute (emails, phoneNumbers, members, ...). */
export function multiValued(
  name: string,
  description: string,
  subAttributes: ScimAttribute[],
  options: Options = {}
): ScimAttribute {
  return attribute(name, 'complex', description, { multiValued: true, subAttributes, ...options })
}

/** Finds an attribute (or sub-attribute) by name, case-insensitively (RFC 7643 section 2.1). */
export function findAttribute(attributes: ScimAttribute[] | undefined, name: string) {
  const wanted = name.toLowerCase()
  return attributes?.find((candidate) => candidate.name.toLowerCase() === wanted)
}
