import router from '@adonisjs/core/services/router'

const PresenceController = () => import('#presence/controllers/presence_controller')

/**
 * Presence snapshot and status text; registered inside the authenticated
 * tenant group of start/routes.ts. Live changes travel over the socket.
 */
export function presenceRoutes() {
  router.get('/presence', [PresenceController, 'index']).as('presence.index')
  router.put('/presence/status', [PresenceController, 'updateStatus']).as('presence.status')
}
