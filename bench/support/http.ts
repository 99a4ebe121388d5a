import http from 'node:http'

export interface Reply {
  status: number
  body: string
}

/*
 * node:http rather than fetch: tenants are selected by the Host header,
 * which fetch treats as a forbidden header.
 */
export function get(
  url: string,
  options: { host: string; headers?: Record<string, string>; agent?: http.Agent }
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { agent: options.agent, headers: { ...options.headers, host: options.host } },
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
  })
}

export async function getJson<T>(
  url: string,
  options: { host: string; headers?: Record<string, string>; agent?: http.Agent }
): Promise<T> {
  const reply = await get(url, options)
  if (reply.status !== 200) {
    throw new Error(`GET ${url} (host ${options.host}) answered ${reply.status}: ${reply.body}`)
  }
  return JSON.parse(reply.body) as T
}
