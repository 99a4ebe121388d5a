import type { HttpContext } from '@adonisjs/core/http'
import { projectAttributes, type Projection } from '#scim/resources/attribute_projection'
import { listResponse, sendResource, sendScim } from '#scim/resources/scim_response'
import { scimBaseUrl } from '#scim/resources/scim_meta'
import type { ScimJson } from '#scim/input/canonical_resource'
import type { ScimRequest } from '#scim/services/scim_request'
import type { ListQuery } from '#scim/services/scim_page'
import type { PatchOperation } from '#scim/patch/apply_patch'
import { ScimError } from '#scim/scim_error'
import {
  readListQuery,
  readPatchOperations,
  readProjection,
  scimRequestOf,
} from '#scim/controllers/scim_http'

/** What one resource type (Users, Groups) does behind the common SCIM endpoints. */
export interface ScimEndpoint {
  name: 'User' | 'Group'
  schema: string
  find(id: string, projection: Projection, baseUrl: string): Promise<ScimJson | null>
  list(
    query: ListQuery,
    projection: Projection,
    baseUrl: string
  ): Promise<{ resources: ScimJson[]; total: number }>
  create(request: ScimRequest, body: unknown): Promise<ScimJson>
  replace(request: ScimRequest, id: string, body: unknown): Promise<ScimJson>
  patch(request: ScimRequest, id: string, operations: PatchOperation[]): Promise<ScimJson>
  delete(request: ScimRequest, id: string): Promise<void>
}

/**
 * The RFC 7644 section 3 operations on one resource type: list with
 * filter, paging, sorting and projection; read (with If-None-Match);
 * create; replace; patch; delete. Every response that carries a resource
 * honours `attributes` / `excludedAttributes`.
 */
export abstract class ScimResourceController {
  protected abstract endpoint: ScimEndpoint

  async index(ctx: HttpContext) {
    const { query, projection } = await readListQuery(ctx)
    const { resources, total } = await this.endpoint.list(query, projection, scimBaseUrl(ctx))
    const projected = resources.map((resource) => this.#project(resource, projection))
    sendScim(ctx, listResponse(projected, total, query.startIndex))
  }

  async show(ctx: HttpContext) {
    const projection = await readProjection(ctx)
    const resource = await this.endpoint.find(ctx.params.id, projection, scimBaseUrl(ctx))
    if (!resource) {
      throw ScimError.notFound(`No ${this.endpoint.name.toLowerCase()} ${ctx.params.id}`)
    }
    const version = (resource.meta as { version: string }).version
    if (ctx.request.header('if-none-match') === version) {
      return ctx.response.notModified()
    }
    sendResource(ctx, this.#project(resource, projection))
  }

  async store(ctx: HttpContext) {
    const projection = await readProjection(ctx)
    const resource = await this.endpoint.create(scimRequestOf(ctx), ctx.request.body())
    sendResource(ctx, this.#project(resource, projection), 201)
  }

  async update(ctx: HttpContext) {
    const projection = await readProjection(ctx)
    const request = scimRequestOf(ctx)
    const resource = await this.endpoint.replace(request, ctx.params.id, ctx.request.body())
    sendResource(ctx, this.#project(resource, projection))
  }

  async patch(ctx: HttpContext) {
    const projection = await readProjection(ctx)
    const operations = await readPatchOperations(ctx)
    const resource = await this.endpoint.patch(scimRequestOf(ctx), ctx.params.id, operations)
    sendResource(ctx, this.#project(resource, projection))
  }

  async destroy(ctx: HttpContext) {
    await this.endpoint.delete(scimRequestOf(ctx), ctx.params.id)
    ctx.response.noContent()
  }

  #project(resource: ScimJson, projection: Projection) {
    return projectAttributes(resource, projection, this.endpoint.schema)
  }
}
