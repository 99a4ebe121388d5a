import type { JSONSchema7 } from 'json-schema'

/** Anything that can describe itself as JSON Schema: VineJS validators. */
export interface DescribedInput {
  toJSONSchema(): JSONSchema7
}

export interface ResponseSpec {
  description: string
  /** A JSON Schema, or the name of a schema in components.schemas. */
  schema?: JSONSchema7 | string
}

/**
 * What the API reference says about one route. Request shapes come from
 * the route's own VineJS validators, so the reference cannot drift from
 * what the server accepts.
 */
export interface OperationSpec {
  summary: string
  tag: string
  /** Whether the route needs a credential (default true). */
  authenticated?: boolean
  /** The credential it takes: a member's access token (default) or a SCIM token. */
  credential?: 'accessToken' | 'scimToken'
  /** Media type of its bodies (default application/json). */
  mediaType?: string
  /** Component schema of its error bodies (default Errors, the REST API's envelope). */
  errorSchema?: string
  /** Whether the route is served on tenant hosts (default true). */
  tenant?: boolean
  /** Types of path parameters, where not inferred (`id` and `...Id` are integers). */
  pathTypes?: Record<string, 'string' | 'integer'>
  body?: DescribedInput
  query?: DescribedInput
  /** Whether the route takes an `Idempotency-Key` header (the `idempotent` middleware). */
  idempotent?: boolean
  responses: Record<number, ResponseSpec>
}

/**
 * Operation specs of a module, keyed by route name.
 */
export function defineOperations<Names extends string>(specs: Record<Names, OperationSpec>) {
  return specs
}
