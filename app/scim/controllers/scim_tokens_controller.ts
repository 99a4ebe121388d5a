import type { HttpContext } from '@adonisjs/core/http'
import ScimPolicy from '#scim/policies/scim_policy'
import { ScimTokens, type ScimTokenRow } from '#scim/services/scim_tokens'
import { createScimTokenValidator } from '#scim/validators/scim_requests'
import { requestOrigin } from '#identity/request_origin'

function tokenResource(row: ScimTokenRow) {
  return {
    id: Number(row.id),
    name: row.name,
    created_by: row.created_by === null ? null : Number(row.created_by),
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  }
}

/** `/api/v1/scim/tokens`: the bearer tokens identity providers provision with. */
export default class ScimTokensController {
  async index({ bouncer }: HttpContext) {
    await bouncer.with(ScimPolicy).authorize('manage')
    const rows = await ScimTokens.list()
    return { data: rows.map(tokenResource), meta: { next_cursor: null } }
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with(ScimPolicy).authorize('manage')
    const input = await ctx.request.validateUsing(createScimTokenValidator)
    const { row, token } = await ScimTokens.create(
      ctx.auth.getUserOrFail(),
      { name: input.name, expiresInDays: input.expires_in_days },
      requestOrigin(ctx)
    )
    ctx.response.status(201)
    return { data: { ...tokenResource(row), token } }
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(ScimPolicy).authorize('manage')
    await ScimTokens.revoke(ctx.auth.getUserOrFail(), ctx.params.id, requestOrigin(ctx))
    ctx.response.noContent()
  }
}
