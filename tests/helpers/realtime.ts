import { request as httpRequest, type Server as HttpServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import server from '@adonisjs/core/services/server'
import { io, type Socket } from 'socket.io-client'
import { serveRealtime } from '#providers/realtime_provider'
import { PresenceTracker } from '#presence/services/presence_tracker'
import env from '#start/env'

/**
 * Serves sockets and SSE on the test HTTP server, as `npm start` does on
 * its own.
 */
export async function attachGateway() {
  await serveRealtime(app.container, server.getNodeServer() as HttpServer)
  const tracker = await app.container.make(PresenceTracker)
  await tracker.start()
}

export interface ConnectOptions {
  host: string
  token?: string
  /** Another node's port; the test process's own server by default. */
  port?: number
  /** Send the token in an Authorization header instead of the auth payload. */
  header?: boolean
}

/**
 * A real socket.io-client connection, websocket only, to a tenant's host.
 * Resolves once connected; rejects with the handshake's refusal.
 */
export async function connectSocket(options: ConnectOptions): Promise<Socket> {
  const socket = openSocket(options)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('connect_error', (error) => {
      socket.close()
      reject(error)
    })
  })
  return socket
}

/** The code a refused handshake reports to the client. */
export async function refusal(options: ConnectOptions) {
  const socket = openSocket(options)
  try {
    return await new Promise<string | undefined>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('the handshake was accepted')))
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
        resolve(error.data?.code)
      )
    })
  } finally {
    socket.close()
  }
}

/** A socket that may or may not be allowed in: the caller listens. */
export function openSocket(options: ConnectOptions): Socket {
  const port = options.port ?? env.get('PORT')
  return io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: {
      host: options.host,
      ...(options.header && options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    auth: options.token && !options.header ? { token: options.token } : {},
  })
}

export interface Ack<T = any> {
  ok: boolean
  data?: T
  errors?: { code: string; message: string; field?: string }[]
}

/** Emits a command and waits for its acknowledgement. */
export function command<T = any>(socket: Socket, event: string, payload?: unknown) {
  return socket.timeout(5_000).emitWithAck(event, payload) as Promise<Ack<T>>
}

/**
 * Everything a socket receives for one event, from now on, and a way to
 * wait until a condition on it holds.
 */
export function recordEvents<T = any>(socket: Socket, event: string) {
  const received: T[] = []
  socket.on(event, (payload: T) => received.push(payload))
  return {
    received,
    async until(check: (list: T[]) => boolean, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs
      while (!check(received)) {
        if (Date.now() > deadline) {
          throw new Error(
            `"${event}": condition not met in ${timeoutMs} ms (got ${received.length})`
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return received
    },
  }
}

/** Resolves when the socket is closed by the server, with the reason. */
export function closedByServer(socket: Socket, timeoutMs = 3_000) {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), timeoutMs)
    socket.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve(reason)
    })
  })
}

export interface StreamMessage {
  channel: string
  payload: { event: string; data: any }
}

/**
 * An SSE stream of `GET /__transmit/events` read as a client would, with
 * every `data:` message parsed. Resolves once the response headers arrive.
 */
export function openUserStream(options: {
  host: string
  token?: string
  uid?: string
  port?: number
}) {
  const uid = options.uid ?? randomUUID()
  return new Promise<{
    status: number
    body: string
    messages: StreamMessage[]
    ended: Promise<void>
    close(): void
  }>((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: options.port ?? env.get('PORT'),
        path: `/__transmit/events?uid=${encodeURIComponent(uid)}`,
        headers: {
          host: options.host,
          accept: 'text/event-stream',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (response) => {
        const messages: StreamMessage[] = []
        let body = ''
        let pending = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
          pending += chunk
          const lines = pending.split('\n')
          pending = lines.pop() ?? ''
          for (const line of lines) {
            if (line.startsWith('data: ')) {
              messages.push(JSON.parse(line.slice('data: '.length)))
            }
          }
        })
        const ended = new Promise<void>((done) => response.once('close', () => done()))
        resolve({
          status: response.statusCode ?? 0,
          get body() {
            return body
          },
          messages,
          ended,
          close: () => request.destroy(),
        })
      }
    )
    request.on('error', reject)
    request.end()
  })
}

/** The acknowledgement's data; throws with the errors when refused. */
export async function accepted<T = any>(reply: Promise<Ack<T>>): Promise<T> {
  const ack = await reply
  if (!ack.ok) {
    throw new Error(`refused: ${JSON.stringify(ack.errors)}`)
  }
  return ack.data as T
}

/** For test cleanups: closes client sockets. */
export function closeAll(...sockets: { close(): unknown }[]): void {
  sockets.forEach((socket) => socket.close())
}
