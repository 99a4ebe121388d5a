import type { HttpContext } from '@adonisjs/core/http'
import { SCIM_CONTENT_TYPE } from '#scim/render_scim_error'
import { URN } from '#scim/schemas/urns'
import type { ScimJson } from '#scim/input/canonical_resource'

/** Sends one resource with its Location and ETag (RFC 7644 sections 3.1 and 3.14). */
export function sendResource(ctx: HttpContext, resource: ScimJson, status = 200) {
  const meta = resource.meta as { location?: string; version?: string } | undefined
  if (meta?.location) {
    ctx.response.header('Location', meta.location)
  }
  if (meta?.version) {
    ctx.response.header('ETag', meta.version)
  }
  sendScim(ctx, resource, status)
}

export function sendScim(ctx: HttpContext, body: unknown, status = 200) {
  ctx.response.status(status).header('Content-Type', SCIM_CONTENT_TYPE).send(JSON.stringify(body))
}

/** A ListResponse (RFC 7644 section 3.4.2). */
export function listResponse(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: [URN.listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}
