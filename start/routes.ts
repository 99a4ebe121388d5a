/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
|
| Health and the API reference answer on every host. Signup answers only
| on the bare APP_DOMAIN; everything else is tenant-scoped and resolved
| from the host.
| tests/functional/authorization_matrix.spec.ts lists every route, and each
| route needs a description in its module's openapi.ts: add new ones there.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { invitationThrottle, signupThrottle } from '#start/limiter'
import { workRoutes } from '#work/routes'
import { messagingRoutes } from '#messaging/routes'
import { presenceRoutes } from '#presence/routes'
import { realtimeRoutes } from '#realtime/routes'
import { pluginAdminRoutes, pluginAuthRoutes, pluginRoutes } from '#plugins/routes'
import { scimAdminRoutes, scimServerRoutes } from '#scim/routes'
import app from '@adonisjs/core/services/app'
import { PluginRegistry } from '#plugins/services/plugin_registry'

const plugins = await app.container.make(PluginRegistry)

const HealthController = () => import('#app/health/health_controller')
const OrganizationsController = () => import('#tenancy/controllers/organizations_controller')
const SessionController = () => import('#identity/controllers/session_controller')
const MembersController = () => import('#identity/controllers/members_controller')
const InvitationsController = () => import('#identity/controllers/invitations_controller')
const AuditEventsController = () => import('#audit/controllers/audit_events_controller')
const SignInPolicyController = () => import('#identity/controllers/sign_in_policy_controller')
const OpenApiController = () => import('#shared/openapi/openapi_controller')

router.get('/health/live', [HealthController, 'live']).as('health.live')
router.get('/health/ready', [HealthController, 'ready']).as('health.ready')
router.get('/api/v1/openapi.json', [OpenApiController, 'show']).as('openapi')

realtimeRoutes()
scimServerRoutes()

router
  .post('/api/v1/organizations', [OrganizationsController, 'store'])
  .as('organizations.store')
  .use([middleware.centralHost(), signupThrottle])

// Browser sign-in flows of identity plugins (SAML, OIDC) on tenant hosts.
router.group(() => pluginAuthRoutes(plugins)).use(middleware.tenant())

router
  .group(() => {
    router.post('/auth/login', [SessionController, 'login']).as('auth.login')
    router.get('/auth/providers', [SessionController, 'providers']).as('auth.providers')
    router
      .post('/invitations/:token/accept', [InvitationsController, 'accept'])
      .as('invitations.accept')
      .use(invitationThrottle)
    pluginRoutes(plugins, 'public')

    router
      .group(() => {
        router.post('/auth/logout', [SessionController, 'logout']).as('auth.logout')
        router.get('/me', [SessionController, 'me']).as('me')

        router.get('/members', [MembersController, 'index']).as('members.index')
        router
          .post('/members/invitations', [InvitationsController, 'store'])
          .as('members.invite')
          .use(middleware.idempotent())
        router.patch('/members/:id', [MembersController, 'update']).as('members.update')
        router
          .post('/members/:id/deactivate', [MembersController, 'deactivate'])
          .as('members.deactivate')
        router
          .post('/members/:id/reactivate', [MembersController, 'reactivate'])
          .as('members.reactivate')

        router.get('/audit-events', [AuditEventsController, 'index']).as('audit_events.index')
        router.get('/sign-in-policy', [SignInPolicyController, 'show']).as('sign_in_policy.show')
        router
          .put('/sign-in-policy', [SignInPolicyController, 'update'])
          .as('sign_in_policy.update')

        workRoutes()
        messagingRoutes()
        presenceRoutes()
        pluginAdminRoutes()
        scimAdminRoutes()
        pluginRoutes(plugins, 'signed-in')
      })
      .use([middleware.auth(), middleware.bouncer()])
  })
  .prefix('/api/v1')
  .use(middleware.tenant())
  .where('id', router.matchers.number())
