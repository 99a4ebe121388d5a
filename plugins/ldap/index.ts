import { definePlugin } from '#plugin-api'
import { migrations } from './migrations.js'
import { settingsSchema } from './settings.js'
import { signInRoute } from './sign_in_route.js'
import { syncJob } from './sync_job.js'
import { syncRoutes } from './sync_routes.js'

/**
 * Sign-in with directory credentials (OpenLDAP, Active Directory, any
 * LDAPv3 server) and a scheduled directory sync that creates, updates and
 * deactivates members. README.md has the behaviour and the safety rule.
 */
export default definePlugin({
  id: 'ldap',
  name: 'LDAP directory',
  version: '1.0.0',
  description:
    'Members sign in with their directory (LDAP, Active Directory) user name and password; a scheduled sync keeps members, roles and departures in line with the directory.',
  permissions: ['users:read', 'users:write', 'sessions:write', 'network'],
  settings: { schema: settingsSchema, secrets: ['bind_password'] },
  migrations,
  routes: [signInRoute, ...syncRoutes],
  jobs: { sync: syncJob },
  // Every 5 minutes, the shortest interval allowed; each workspace syncs when its own sync_every_minutes have passed.
  schedules: [{ job: 'sync', everyMinutes: 5 }],
  // A sync of a large directory takes minutes; sign-ins are bounded by the per-operation timeout_seconds.
  limits: { timeoutMs: 10 * 60_000 },
  hooks: {
    // Offered once the directory is configured: the sign-in page posts the credentials.
    'auth.providers': async (context) =>
      context.settings.url && context.settings.user_base_dn
        ? [
            {
              id: 'ldap',
              name: 'Directory account',
              kind: 'credentials',
              url: context.url('/api/v1/plugins/ldap/login'),
            },
          ]
        : [],
  },
})
