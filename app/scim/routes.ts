import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import type { ScimResourceController } from '#scim/controllers/scim_resource_controller'

const ScimUsersController = () => import('#scim/controllers/scim_users_controller')
const ScimGroupsController = () => import('#scim/controllers/scim_groups_controller')
const ScimDiscoveryController = () => import('#scim/controllers/scim_discovery_controller')
const ScimTokensController = () => import('#scim/controllers/scim_tokens_controller')
const ScimGroupMappingsController = () => import('#scim/controllers/scim_group_mappings_controller')

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']

type ResourceController = () => Promise<{
  default: new (...args: any[]) => ScimResourceController
}>

/** The six operations of one resource type (RFC 7644 section 3). */
function resourceRoutes(path: string, name: string, controller: ResourceController) {
  router.get(path, [controller, 'index']).as(`${name}.index`)
  router.post(path, [controller, 'store']).as(`${name}.store`)
  router.get(`${path}/:id`, [controller, 'show']).as(`${name}.show`)
  router.put(`${path}/:id`, [controller, 'update']).as(`${name}.update`)
  router.patch(`${path}/:id`, [controller, 'patch']).as(`${name}.patch`)
  router.delete(`${path}/:id`, [controller, 'destroy']).as(`${name}.destroy`)
}

/**
 * The SCIM 2.0 server on tenant hosts (`/scim/v2`), authenticated by SCIM
 * tokens; its errors are rendered as RFC 7644 prescribes.
 */
export function scimServerRoutes() {
  router
    .group(() => {
      resourceRoutes('/Users', 'users', ScimUsersController)
      resourceRoutes('/Groups', 'groups', ScimGroupsController)

      router
        .get('/ServiceProviderConfig', [ScimDiscoveryController, 'serviceProviderConfig'])
        .as('service_provider_config')
      router.get('/ResourceTypes', [ScimDiscoveryController, 'resourceTypes']).as('resource_types')
      router
        .get('/ResourceTypes/:name', [ScimDiscoveryController, 'resourceType'])
        .as('resource_type')
      router.get('/Schemas', [ScimDiscoveryController, 'schemas']).as('schemas')
      router.get('/Schemas/:id', [ScimDiscoveryController, 'schema']).as('schema')
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
        const name = path.slice(1).toLowerCase()
        router
          .route(path, WRITE_METHODS, [ScimDiscoveryController, 'readOnly'])
          .as(`${name}.read_only`)
        router
          .route(`${path}/:id`, WRITE_METHODS, [ScimDiscoveryController, 'readOnly'])
          .as(`${name}.item_read_only`)
      }
      const everyMethod = ['GET', ...WRITE_METHODS]
      router.route('/Me', everyMethod, [ScimDiscoveryController, 'notImplemented']).as('me')
      router.route('/Bulk', everyMethod, [ScimDiscoveryController, 'notImplemented']).as('bulk')
    })
    .prefix('/scim/v2')
    .as('scim')
    .use([middleware.tenant(), middleware.scimAuth()])
}

/** Admin API of provisioning; inside the authenticated tenant group of start/routes.ts. */
export function scimAdminRoutes() {
  router.get('/scim/tokens', [ScimTokensController, 'index']).as('scim_tokens.index')
  router.post('/scim/tokens', [ScimTokensController, 'store']).as('scim_tokens.store')
  router.delete('/scim/tokens/:id', [ScimTokensController, 'destroy']).as('scim_tokens.destroy')
  router.get('/scim/groups', [ScimGroupMappingsController, 'index']).as('scim_groups.index')
  router
    .put('/scim/groups/:groupId/mapping', [ScimGroupMappingsController, 'update'])
    .as('scim_groups.mapping')
}
