import { inject } from '@adonisjs/core'
import {
  ScimResourceController,
  type ScimEndpoint,
} from '#scim/controllers/scim_resource_controller'
import { ScimGroupDirectory } from '#scim/services/scim_group_directory'
import { ScimGroupProvisioning } from '#scim/services/scim_group_provisioning'
import { groupResource } from '#scim/resources/group_resource'
import { projectionOmits } from '#scim/resources/attribute_projection'
import { URN } from '#scim/schemas/urns'

/**
 * `/scim/v2/Groups`. IdPs often list groups with
 * `excludedAttributes=members`; members are then not read at all.
 */
@inject()
export default class ScimGroupsController extends ScimResourceController {
  protected endpoint: ScimEndpoint

  constructor(provisioning: ScimGroupProvisioning) {
    super()
    this.endpoint = {
      name: 'Group',
      schema: URN.group,
      async find(id, projection, baseUrl) {
        const withMembers = !projectionOmits(projection, 'members')
        const row = await ScimGroupDirectory.find(id, { withMembers })
        return row ? groupResource(row, baseUrl) : null
      },
      async list(query, projection, baseUrl) {
        const withMembers = !projectionOmits(projection, 'members')
        const { rows, total } = await ScimGroupDirectory.list(query, { withMembers })
        return { resources: rows.map((row) => groupResource(row, baseUrl)), total }
      },
      create: (request, body) => provisioning.create(request, body),
      replace: (request, id, body) => provisioning.replace(request, id, body),
      patch: (request, id, operations) => provisioning.patch(request, id, operations),
      delete: (request, id) => provisioning.delete(request, id),
    }
  }
}
