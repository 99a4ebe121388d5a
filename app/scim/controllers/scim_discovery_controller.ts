import type { HttpContext } from '@adonisjs/core/http'
import { listResponse, sendScim } from '#scim/resources/scim_response'
import { scimBaseUrl } from '#scim/resources/scim_meta'
import {
  resourceTypes,
  SCHEMAS,
  schemaResource,
  serviceProviderConfig,
} from '#scim/resources/discovery'
import { ScimError } from '#scim/scim_error'

/** `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` (RFC 7644 section 4). */
export default class ScimDiscoveryController {
  serviceProviderConfig(ctx: HttpContext) {
    sendScim(ctx, serviceProviderConfig(scimBaseUrl(ctx)))
  }

  resourceTypes(ctx: HttpContext) {
    const types = resourceTypes(scimBaseUrl(ctx))
    sendScim(ctx, listResponse(types, types.length, 1))
  }

  resourceType(ctx: HttpContext) {
    const type = resourceTypes(scimBaseUrl(ctx)).find((entry) => entry.id === ctx.params.name)
    if (!type) {
      throw ScimError.notFound(`No resource type ${ctx.params.name}`)
    }
    sendScim(ctx, type)
  }

  schemas(ctx: HttpContext) {
    const baseUrl = scimBaseUrl(ctx)
    const schemas = SCHEMAS.map((schema) => schemaResource(schema, baseUrl))
    sendScim(ctx, listResponse(schemas, schemas.length, 1))
  }

  schema(ctx: HttpContext) {
    const schema = SCHEMAS.find((entry) => entry.id === ctx.params.id)
    if (!schema) {
      throw ScimError.notFound(`No schema ${ctx.params.id}`)
    }
    sendScim(ctx, schemaResource(schema, scimBaseUrl(ctx)))
  }

  /** Discovery resources are read-only (RFC 7644 section 4). */
  readOnly(ctx: HttpContext) {
    ctx.response.header('Allow', 'GET')
    throw new ScimError(405, undefined, 'Discovery resources are read-only')
  }

  /** `/Me` and `/Bulk` are optional and not offered (declared in ServiceProviderConfig). */
  notImplemented() {
    throw new ScimError(501, undefined, 'Not supported by this service provider')
  }
}
