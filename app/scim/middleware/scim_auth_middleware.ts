import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import limiter from '@adonisjs/limiter/services/main'
import env from '#start/env'
import { TenantContext } from '#tenancy/tenant_context'
import { ScimTokens, type ScimCaller } from '#scim/services/scim_tokens'
import { ScimError } from '#scim/scim_error'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    scim: ScimCaller
  }
}

/*
 * Guessing secrets: 30 refused SCIM tokens per IP in 15 minutes, then 15
 * minutes of 429 (a missing or foreign credential, such as a member's
 * access token, is refused without a lookup and not counted). A token's
 * own traffic is capped per minute, high enough for an IdP's initial
 * import at its usual concurrency.
 */
const refusals = () => limiter.use({ requests: 30, duration: '15 mins', blockDuration: '15 mins' })
const perToken = () =>
  limiter.use({ requests: env.get('SCIM_REQUESTS_PER_MINUTE', 12_000), duration: '1 min' })

const refused = () => new ScimError(401, undefined, 'A valid SCIM bearer token is required')

/**
 * Authenticates a SCIM request by the bearer token an admin created for
 * the bound tenant.
 */
export default class ScimAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const tenantId = TenantContext.currentOrFail().id
    const presented = /^Bearer\s+(\S+)$/i.exec(ctx.request.header('authorization') ?? '')?.[1]
    if (!presented || !ScimTokens.isWellFormed(presented)) {
      throw refused()
    }
    const refusalKey = `scim-auth:${tenantId}:${ctx.request.ip()}`
    const [blocked, caller] = await refusals().penalize(refusalKey, async () => {
      const verified = await ScimTokens.verify(presented)
      if (!verified) {
        throw refused()
      }
      return verified
    })
    if (blocked) {
      throw blocked
    }
    // Throws E_TOO_MANY_REQUESTS (429, Retry-After) past the cap.
    await perToken().consume(`scim:${tenantId}:${caller.tokenId}`)
    ctx.scim = caller
    return next()
  }
}
