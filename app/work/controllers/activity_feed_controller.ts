import type { HttpContext } from '@adonisjs/core/http'
import User from '#identity/models/user'
import ActivityEntry from '#work/models/activity_entry'
import { ProjectAccess } from '#work/services/project_access'
import { activityFeedValidator } from '#work/validators/activity'
import { activityEntryResource } from '#work/resources'
import { paginateByKey } from '#shared/pagination'

export default class ActivityFeedController {
  /** Newest first; entries appear once the event backbone delivered them. */
  async index({ request, params, auth }: HttpContext) {
    const { project } = await ProjectAccess.open(auth.getUserOrFail(), params.id)
    const filters = await request.validateUsing(activityFeedValidator, { data: request.qs() })
    const page = await paginateByKey(
      ActivityEntry.query().where('project_id', project.id),
      filters,
      { columns: ['id'], direction: 'desc', of: (item) => [item.id] }
    )
    const actorIds = [...new Set(page.items.map((item) => Number(item.actorId)).filter(Boolean))]
    const actors = actorIds.length ? await User.query().whereIn('id', actorIds) : []
    const names = new Map(actors.map((actor) => [String(actor.id), actor.fullName]))
    return {
      data: page.items.map((item) => activityEntryResource(item, names)),
      meta: { next_cursor: page.nextCursor },
    }
  }
}
