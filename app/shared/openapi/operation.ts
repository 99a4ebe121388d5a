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
  /** Whether the route needs an access token (default true). */
  authenticated?: boolean
  /** Whether the route is served on tenant hosts (default true). */
  tenant?: boolean
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
