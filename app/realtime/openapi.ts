import { defineOperations } from '#shared/openapi/operation'
import { streamSubscriptionValidator } from '#realtime/validators/stream_subscription'

/*
 * The Server-Sent Events endpoints (paths of @adonisjs/transmit). Sockets
 * and the events both carry are described in docs/realtime.md.
 */
export const realtimeOperations = defineOperations({
  'transmit.events': {
    summary:
      "The member's event stream (text/event-stream), subscribed to their own channel as it opens",
    tag: 'Real time',
    responses: {
      200: { description: 'An endless stream of `data:` lines (see docs/realtime.md)' },
      409: { description: 'This stream id is open for another member' },
    },
  },
  'transmit.subscribe': {
    summary: "Subscribe an open stream to a channel (only the member's own is granted)",
    tag: 'Real time',
    body: streamSubscriptionValidator,
    responses: {
      204: { description: 'Subscribed' },
      403: { description: 'Not a channel of the caller' },
      404: { description: 'No stream with this uid is open on this node' },
    },
  },
  'transmit.unsubscribe': {
    summary: 'Unsubscribe a stream from a channel',
    tag: 'Real time',
    body: streamSubscriptionValidator,
    responses: { 204: { description: 'Unsubscribed' } },
  },
})
