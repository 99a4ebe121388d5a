import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const EventStreamController = () => import('@adonisjs/transmit/controllers/event_stream_controller')
const StreamSubscriptionsController = () =>
  import('#realtime/controllers/stream_subscriptions_controller')

/**
 * The SSE endpoints of @adonisjs/transmit (the paths its client uses), on
 * tenant hosts, for members with an access token (the one their API
 * calls use).
 */
export function realtimeRoutes() {
  router
    .group(() => {
      router.get('/events', [EventStreamController]).as('events').use(middleware.userStream())
      router
        .post('/subscribe', [StreamSubscriptionsController, 'store'])
        .as('subscribe')
        .use(middleware.userStream())
      router.post('/unsubscribe', [StreamSubscriptionsController, 'destroy']).as('unsubscribe')
    })
    .prefix('/__transmit')
    .as('transmit')
    .use([middleware.tenant(), middleware.auth()])
}
