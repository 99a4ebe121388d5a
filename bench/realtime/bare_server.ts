/*
 * The baseline of bench/realtime.ts: Socket.IO 4 (the version Tandem
 * runs) and nothing else. Websocket transport only, like Tandem's
 * gateway; no authentication, database, tenancy, Redis or presence. It
 * answers the commands the bench sends the way Tandem does:
 *   channel:join {channel_id}            joins the room, acks
 *   message:send {channel_id, body, client_id}
 *                                        numbers the message in its room,
 *                                        emits message:new to the room but
 *                                        the sender, acks {message, created}
 *   presence:heartbeat                   acks
 * Acks are `{ ok, data }` as Tandem's, and the message has the shape and
 * about the size of Tandem's message resource, so both servers write the
 * same bytes. GET /health/live answers like Tandem's.
 *
 * PORT=4000 node --import=@poppinss/ts-exec bench/realtime/bare_server.ts
 */
import { createServer } from 'node:http'
import { Server } from 'socket.io'

type Ack = (reply: unknown) => void

const port = Number(process.env.PORT ?? 0)
const http = createServer((request, response) => {
  if (request.url === '/health/live') {
    response.setHeader('content-type', 'application/json')
    response.end('{"status":"ok"}')
    return
  }
  response.statusCode = 404
  response.end()
})
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  cors: { origin: true },
})

const room = (channelId: number) => `channel:${channelId}`
const lastSeq = new Map<number, number>()
let lastId = 0

function channelIdOf(payload: unknown) {
  return Number((payload as { channel_id?: unknown } | null)?.channel_id)
}

io.on('connection', (socket) => {
  socket.on('channel:join', (payload: unknown, ack?: Ack) => {
    const channelId = channelIdOf(payload)
    void socket.join(room(channelId))
    ack?.({ ok: true, data: { channel_id: channelId } })
  })

  socket.on('message:send', (payload: unknown, ack?: Ack) => {
    const { body, client_id: clientId } = payload as { body: string; client_id: string }
    const channelId = channelIdOf(payload)
    const seq = (lastSeq.get(channelId) ?? 0) + 1
    lastSeq.set(channelId, seq)
    const message = {
      id: ++lastId,
      channel_id: channelId,
      seq,
      changed_seq: seq,
      thread_id: null,
      sender_id: 0,
      client_id: clientId,
      body,
      mention_ids: [],
      mentions_channel: false,
      reactions: [],
      reply_count: 0,
      last_reply_at: null,
      pinned: false,
      pinned_by: null,
      pinned_at: null,
      edited_at: null,
      deleted: false,
      deleted_at: null,
      created_at: new Date().toISOString(),
    }
    socket.to(room(channelId)).emit('message:new', message)
    ack?.({ ok: true, data: { message, created: true } })
  })

  socket.on('presence:heartbeat', (_payload: unknown, ack?: Ack) => {
    ack?.({ ok: true, data: null })
  })
})

http.listen(port, '127.0.0.1')

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    io.close()
    http.close()
    // Open sockets are closed by io.close(); end even if a client lingers.
    setTimeout(() => process.exit(0), 2_000).unref()
  })
}
