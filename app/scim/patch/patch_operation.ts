import type { ScimSchema } from '#scim/schemas/attribute'

/**
 * A resource as the server represents it (RFC 7643 section 3): common and
 * core attributes at the top level, extension attributes in an object under
 * their schema URN.
 */
export type ScimResourceJson = Record<string, unknown>

/** One entry of a PatchOp request's `Operations` (RFC 7644 section 3.5.2), as the client sent it. */
export interface PatchOperation {
  op: string
  path?: string
  value?: unknown
}

/** The schemas of the resource type being patched: its core schema and the extensions it allows. */
export interface ResourceSchemas {
  core: ScimSchema
  extensions: ScimSchema[]
}
