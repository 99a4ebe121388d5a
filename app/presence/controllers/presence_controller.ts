import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { TenantContext } from '#tenancy/tenant_context'
import { PresenceTracker } from '#presence/services/presence_tracker'
import { presenceSnapshotValidator, statusTextValidator } from '#presence/validators/presence'

/**
 * Presence over REST: a snapshot for clients that just connected (live
 * changes then come through the socket) and the caller's status text.
 * Every signed-in member may read any id of the tenant: presence tells
 * only whether someone is around. Ids that are no member are offline.
 */
@inject()
export default class PresenceController {
  constructor(protected presence: PresenceTracker) {}

  async index({ request }: HttpContext) {
    const { user_ids: userIds } = await request.validateUsing(presenceSnapshotValidator, {
      data: request.qs(),
    })
    return { data: await this.presence.snapshot(TenantContext.currentOrFail().id, userIds) }
  }

  async updateStatus({ request, auth }: HttpContext) {
    const { text, expires_at: expiresAt } = await request.validateUsing(statusTextValidator)
    const presence = await this.presence.setText(
      TenantContext.currentOrFail().id,
      auth.getUserOrFail().id,
      text,
      expiresAt ?? null
    )
    return { data: presence }
  }
}
