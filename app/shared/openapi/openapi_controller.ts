import router from '@adonisjs/core/services/router'
import { buildOpenApiDocument } from '#shared/openapi/openapi_document'
import { sharedSchemas } from '#shared/openapi/schemas'
import { identityOperations, identitySchemas } from '#identity/openapi'
import { auditOperations, auditSchemas } from '#audit/openapi'
import { tenancyOperations, tenancySchemas } from '#tenancy/openapi'
import { healthOperations } from '#app/health/openapi'
import { workOperations, workSchemas } from '#work/openapi'
import { messagingOperations, messagingSchemas } from '#messaging/openapi'
import { presenceOperations, presenceSchemas } from '#presence/openapi'
import { realtimeOperations } from '#realtime/openapi'
import { defineOperations } from '#shared/openapi/operation'
import app from '@adonisjs/core/services/app'
import { pluginOperations, pluginRouteOperations, pluginSchemas } from '#plugins/openapi'
import { PluginRegistry } from '#plugins/services/plugin_registry'
import { scimOperations, scimSchemas } from '#scim/openapi'

const ownOperations = defineOperations({
  openapi: {
    summary: 'This document',
    tag: 'Reference',
    authenticated: false,
    tenant: false,
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
})

/**
 * Serves the API reference, built once from the registered routes and
 * each module's descriptions.
 */
export default class OpenApiController {
  static #document?: ReturnType<typeof buildOpenApiDocument>

  async show() {
    const plugins = await app.container.make(PluginRegistry)
    OpenApiController.#document ??= buildOpenApiDocument(Object.values(router.toJSON()).flat(), {
      title: 'Tandem API',
      version: '1',
      operations: {
        ...identityOperations,
        ...auditOperations,
        ...tenancyOperations,
        ...workOperations,
        ...messagingOperations,
        ...presenceOperations,
        ...realtimeOperations,
        ...pluginOperations,
        ...pluginRouteOperations(plugins),
        ...scimOperations,
        ...healthOperations,
        ...ownOperations,
      },
      schemas: {
        ...sharedSchemas,
        ...identitySchemas,
        ...auditSchemas,
        ...tenancySchemas,
        ...workSchemas,
        ...messagingSchemas,
        ...presenceSchemas,
        ...pluginSchemas,
        ...scimSchemas,
      },
    })
    return OpenApiController.#document
  }
}
