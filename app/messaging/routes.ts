import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ChannelsController = () => import('#messaging/controllers/channels_controller')
const ChannelMembersController = () => import('#messaging/controllers/channel_members_controller')
const DirectMessagesController = () => import('#messaging/controllers/direct_messages_controller')
const MessagesController = () => import('#messaging/controllers/messages_controller')
const MessageReactionsController = () =>
  import('#messaging/controllers/message_reactions_controller')
const MessagePinsController = () => import('#messaging/controllers/message_pins_controller')
const ChannelReadsController = () => import('#messaging/controllers/channel_reads_controller')

/**
 * Channels, direct messages, messages, reactions, pins and read state;
 * registered inside the authenticated tenant group of start/routes.ts.
 */
export function messagingRoutes() {
  router.get('/channels', [ChannelsController, 'index']).as('channels.index')
  router
    .post('/channels', [ChannelsController, 'store'])
    .as('channels.store')
    .use(middleware.idempotent())
  router.get('/channels/:id', [ChannelsController, 'show']).as('channels.show')
  router.patch('/channels/:id', [ChannelsController, 'update']).as('channels.update')
  router.delete('/channels/:id', [ChannelsController, 'destroy']).as('channels.destroy')

  router
    .get('/channels/:id/members', [ChannelMembersController, 'index'])
    .as('channel_members.index')
  router
    .post('/channels/:id/members', [ChannelMembersController, 'store'])
    .as('channel_members.store')
  router
    .delete('/channels/:id/members/:userId', [ChannelMembersController, 'destroy'])
    .as('channel_members.destroy')
    .where('userId', router.matchers.number())

  router.post('/direct-messages', [DirectMessagesController, 'store']).as('direct_messages.store')

  router.get('/channels/:id/messages', [MessagesController, 'index']).as('messages.index')
  router.post('/channels/:id/messages', [MessagesController, 'store']).as('messages.store')
  router.get('/messages/:id', [MessagesController, 'show']).as('messages.show')
  router.patch('/messages/:id', [MessagesController, 'update']).as('messages.update')
  router.delete('/messages/:id', [MessagesController, 'destroy']).as('messages.destroy')
  router.get('/messages/:id/revisions', [MessagesController, 'revisions']).as('messages.revisions')

  router
    .put('/messages/:id/reactions/:emoji', [MessageReactionsController, 'update'])
    .as('message_reactions.update')
  router
    .delete('/messages/:id/reactions/:emoji', [MessageReactionsController, 'destroy'])
    .as('message_reactions.destroy')

  router.get('/channels/:id/pins', [MessagePinsController, 'index']).as('message_pins.index')
  router.post('/messages/:id/pin', [MessagePinsController, 'store']).as('message_pins.store')
  router.delete('/messages/:id/pin', [MessagePinsController, 'destroy']).as('message_pins.destroy')

  router.post('/channels/:id/read', [ChannelReadsController, 'store']).as('channel_reads.store')
}
