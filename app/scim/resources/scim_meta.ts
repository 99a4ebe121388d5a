import { createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'

/** The same value with object keys in one order (jsonb stores them in its own). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical)
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])])
    )
  }
  return value
}

/** `https://acme.tandem.example/scim/v2`, as the client reached us. */
export function scimBaseUrl({ request }: HttpContext) {
  return `${request.protocol()}://${request.host()}/scim/v2`
}

/**
 * A weak ETag over the resource's own content and modification time
 * (RFC 7644 section 3.14): it changes whatever changed the resource (an
 * admin in Tandem, another token). Derived lists (a user's groups, a
 * group's members) are left out, so a read that excluded them yields
 * the same version as a full one.
 */
export function versionOf(content: unknown) {
  const hash = createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('base64url')
  return `W/"${hash.slice(0, 22)}"`
}

export function meta(
  resourceType: 'User' | 'Group',
  location: string,
  times: { created: Date; lastModified: Date },
  content: Record<string, unknown>,
  derived: string
) {
  const own = { ...content }
  delete own[derived]
  return {
    resourceType,
    created: times.created.toISOString(),
    lastModified: times.lastModified.toISOString(),
    location,
    version: versionOf([own, times.lastModified.getTime()]),
  }
}
