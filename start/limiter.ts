/*
|--------------------------------------------------------------------------
| Rate limits of unauthenticated entry points
|--------------------------------------------------------------------------
|
| Sign-in has its own failure-based limit (identity/services/authentication).
| These cap how often one IP may try the other doors that need no token.
*/
import limiter from '@adonisjs/limiter/services/main'

export const signupThrottle = limiter.define('signup', (ctx) =>
  limiter.allowRequests(10).every('1 hour').usingKey(`signup:${ctx.request.ip()}`)
)

export const invitationThrottle = limiter.define('invitation', (ctx) =>
  limiter.allowRequests(20).every('15 mins').usingKey(`invitation:${ctx.request.ip()}`)
)

/** Routes plugins serve without a token (a calendar feed): per IP, generous for polling clients. */
export const pluginRouteThrottle = limiter.define('plugin-public', (ctx) =>
  limiter.allowRequests(120).every('1 min').usingKey(`plugin-public:${ctx.request.ip()}`)
)
