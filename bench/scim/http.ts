import { once } from 'node:events'
import http from 'node:http'
import { text } from 'node:stream/consumers'
import type { Reply } from '../support/http.js'

/*
 * One SCIM request, as identity providers send them: bearer token,
 * application/scim+json. node:http for the Host header, which selects the
 * tenant (see bench/support/http.ts). Safe to import from a worker thread.
 */
export async function sendScim(
  url: string,
  options: {
    method: 'GET' | 'POST'
    host: string
    token: string
    body?: unknown
    agent?: http.Agent
  }
): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  const request = http.request(url, {
    method: options.method,
    agent: options.agent,
    headers: {
      host: options.host,
      authorization: `Bearer ${options.token}`,
      accept: 'application/scim+json',
      ...(payload === undefined
        ? {}
        : {
            'content-type': 'application/scim+json',
            'content-length': Buffer.byteLength(payload),
          }),
    },
  })
  request.end(payload)
  // Rejects on a socket error ('error' event) as well.
  const [response] = (await once(request, 'response')) as [http.IncomingMessage]
  return { status: response.statusCode ?? 0, body: await text(response) }
}
