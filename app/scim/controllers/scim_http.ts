import type { HttpContext } from '@adonisjs/core/http'
import { requestOrigin } from '#identity/request_origin'
import { scimBaseUrl } from '#scim/resources/scim_meta'
import { parseAttributeList, type Projection } from '#scim/resources/attribute_projection'
import type { ScimRequest } from '#scim/services/scim_request'
import type { ListQuery } from '#scim/services/scim_page'
import type { PatchOperation } from '#scim/patch/apply_patch'
import {
  SCIM_DEFAULT_COUNT,
  SCIM_MAX_RESULTS,
  scimListValidator,
  scimPatchValidator,
  scimProjectionValidator,
} from '#scim/validators/scim_requests'

/*
 * What SCIM controllers read from a request, so each controller action is
 * one line of reading, one call, one response.
 */

export function scimRequestOf(ctx: HttpContext): ScimRequest {
  return {
    caller: ctx.scim,
    origin: requestOrigin(ctx),
    baseUrl: scimBaseUrl(ctx),
    ifMatch: ctx.request.header('if-match'),
  }
}

/**
 * The query string as plain strings. The framework's parser splits values
 * at commas, which SCIM uses inside filters (`displayName eq "Doe, Jane"`)
 * and attribute lists alike.
 */
function scimQuery(ctx: HttpContext) {
  return Object.fromEntries(new URLSearchParams(ctx.request.parsedUrl.query ?? ''))
}

export async function readProjection(ctx: HttpContext): Promise<Projection> {
  const input = await scimProjectionValidator.validate(scimQuery(ctx))
  return {
    attributes: parseAttributeList(input.attributes),
    excludedAttributes: parseAttributeList(input.excludedAttributes),
  }
}

/** startIndex below 1 means 1, a negative count 0, a count past the maximum the maximum. */
export async function readListQuery(ctx: HttpContext) {
  const input = await scimListValidator.validate(scimQuery(ctx))
  const query: ListQuery = {
    filter: input.filter,
    sortBy: input.sortBy,
    sortOrder: input.sortOrder,
    startIndex: Math.max(1, input.startIndex ?? 1),
    count: Math.min(SCIM_MAX_RESULTS, Math.max(0, input.count ?? SCIM_DEFAULT_COUNT)),
  }
  const projection: Projection = {
    attributes: parseAttributeList(input.attributes),
    excludedAttributes: parseAttributeList(input.excludedAttributes),
  }
  return { query, projection }
}

/** The PatchOp body; `Operations` is matched case-insensitively, as some clients lower-case it. */
export async function readPatchOperations(ctx: HttpContext): Promise<PatchOperation[]> {
  const body = ctx.request.body()
  const key = Object.keys(body).find((name) => name.toLowerCase() === 'operations')
  const message = await scimPatchValidator.validate({
    schemas: body.schemas,
    Operations: key ? body[key] : undefined,
  })
  return message.Operations as PatchOperation[]
}
