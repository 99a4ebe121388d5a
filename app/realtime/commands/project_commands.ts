import vine from '@vinejs/vine'
import { strictObject } from '#shared/validation/strict_object'
import { entityId } from '#shared/validation/entity_id'
import { ProjectAccess } from '#work/services/project_access'
import { defineSocketCommand } from '#realtime/socket_command'
import { rooms } from '#realtime/rooms'

const projectRef = vine.create(strictObject({ project_id: entityId() }))

/**
 * Live updates of a project's tasks, comments and members: anyone who may
 * read the project may listen (ProjectAccess, as for GET /projects/:id).
 */
export const projectCommands = [
  defineSocketCommand({
    event: 'project:join',
    validator: projectRef,
    async handle({ socket, user, tenant }, { project_id: projectId }) {
      const { role } = await ProjectAccess.open(user, projectId)
      await socket.join(rooms.project(tenant.id, projectId))
      return { project_id: projectId, role }
    },
  }),
  defineSocketCommand({
    event: 'project:leave',
    validator: projectRef,
    async handle({ socket, tenant }, { project_id: projectId }) {
      await socket.leave(rooms.project(tenant.id, projectId))
      return { project_id: projectId }
    },
  }),
]
