import { inject } from '@adonisjs/core'
import {
  ScimResourceController,
  type ScimEndpoint,
} from '#scim/controllers/scim_resource_controller'
import { ScimUserDirectory } from '#scim/services/scim_user_directory'
import { ScimUserProvisioning } from '#scim/services/scim_user_provisioning'
import { userResource } from '#scim/resources/user_resource'
import { projectionOmits } from '#scim/resources/attribute_projection'
import { URN } from '#scim/schemas/urns'

/** `/scim/v2/Users`: members of the workspace. */
@inject()
export default class ScimUsersController extends ScimResourceController {
  protected endpoint: ScimEndpoint

  constructor(provisioning: ScimUserProvisioning) {
    super()
    this.endpoint = {
      name: 'User',
      schema: URN.user,
      async find(id, _projection, baseUrl) {
        const row = await ScimUserDirectory.find(id)
        return row ? userResource(row, baseUrl) : null
      },
      async list(query, projection, baseUrl) {
        const withGroups = !projectionOmits(projection, 'groups')
        const { rows, total } = await ScimUserDirectory.list(query, { withGroups })
        return { resources: rows.map((row) => userResource(row, baseUrl)), total }
      },
      create: (request, body) => provisioning.create(request, body),
      replace: (request, id, body) => provisioning.replace(request, id, body),
      patch: (request, id, operations) => provisioning.patch(request, id, operations),
      delete: (request, id) => provisioning.delete(request, id),
    }
  }
}
