/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#shared/exception_handler'))

server.use([() => import('@adonisjs/core/bodyparser_middleware')])

router.use([() => import('@adonisjs/auth/initialize_auth_middleware')])

export const middleware = router.named({
  tenant: () => import('#tenancy/middleware/resolve_tenant_middleware'),
  centralHost: () => import('#tenancy/middleware/central_host_middleware'),
  auth: () => import('#identity/middleware/auth_middleware'),
  bouncer: () => import('#identity/middleware/initialize_bouncer_middleware'),
  idempotent: () => import('#shared/idempotency/idempotency_middleware'),
  userStream: () => import('#realtime/middleware/user_stream_middleware'),
  scimAuth: () => import('#scim/middleware/scim_auth_middleware'),
})
