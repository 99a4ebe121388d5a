import http from 'node:http'

/*
 * One HTTP request to a tenant host, for bench/work_api.ts. node:http
 * rather than fetch: tenants are selected by the Host header, which fetch
 * treats as a forbidden header. Safe to import from a worker thread (no
 * app code).
 */

export interface Reply {
  status: number
  body: string
}

export interface SendOptions {
  method: 'GET' | 'POST'
  host: string
  token?: string
  /** Serialized as JSON. */
  body?: unknown
  agent?: http.Agent
}

export function send(url: string, options: SendOptions): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  const headers: Record<string, string> = { host: options.host, accept: 'application/json' }
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`
  }
  if (payload !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(payload))
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method, agent: options.agent, headers },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
        )
        response.on('error', reject)
      }
    )
    request.on('error', reject)
    request.end(payload)
  })
}

/** `send`, expecting `status`; the parsed JSON body. */
export async function sendExpecting<T>(status: number, url: string, options: SendOptions) {
  const reply = await send(url, options)
  if (reply.status !== status) {
    throw new Error(
      `${options.method} ${url} (host ${options.host}) answered ${reply.status}, expected ${status}: ${reply.body.slice(0, 500)}`
    )
  }
  return JSON.parse(reply.body) as T
}
