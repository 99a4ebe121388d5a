import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local OpenAI-compatible endpoint (POST /v1/chat/completions, not
 * streaming) that answers what the test scripted and records every
 * request, so tests assert what would have left the server.
 */
export type ScriptedAnswer =
  { text: string; delayMs?: number } | { status: number; retryAfterSeconds?: number }

export interface RecordedRequest {
  model: string
  messages: { role: string; content: string }[]
  headers: IncomingHttpHeaders
}

export class FakeLlmServer {
  readonly requests: RecordedRequest[] = []
  readonly #script: ScriptedAnswer[] = []
  #rule: (request: RecordedRequest) => ScriptedAnswer | undefined = () => undefined
  readonly #server: Server

  private constructor(server: Server) {
    this.#server = server
  }

  static async start() {
    const fake: FakeLlmServer = new FakeLlmServer(
      createServer((request, response) => {
        let body = ''
        request.on('data', (data) => (body += data))
        request.on('end', () => fake.#answer(request.url, request.headers, body, response))
      })
    )
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve))
    return fake
  }

  /** The root to give the OpenAI client: http://127.0.0.1:<port>/v1. */
  get baseUrl() {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`
  }

  /**
   * The next requests get these answers, in order; then the rule's (see
   * answerBy), else "Summary <n>" for the n-th request.
   */
  answer(...answers: ScriptedAnswer[]) {
    this.#script.push(...answers)
  }

  /** Requests the script does not answer get this rule's answer, when it has one. */
  answerBy(rule: (request: RecordedRequest) => ScriptedAnswer | undefined) {
    this.#rule = rule
  }

  /** Everything the model was sent in one request: the system and user messages. */
  sentText(request: RecordedRequest) {
    return request.messages.map((message) => message.content).join('\n')
  }

  async close() {
    this.#server.closeAllConnections()
    await new Promise((resolve) => this.#server.close(resolve))
  }

  #answer(
    url: string | undefined,
    headers: IncomingHttpHeaders,
    body: string,
    response: import('node:http').ServerResponse
  ) {
    if (url !== '/v1/chat/completions') {
      response.writeHead(404).end()
      return
    }
    const { model, messages } = JSON.parse(body)
    const request = { model, messages, headers }
    this.requests.push(request)
    const answer = this.#script.shift() ??
      this.#rule(request) ?? { text: `Summary ${this.requests.length}` }
    if ('status' in answer) {
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.retryAfterSeconds !== undefined
          ? { 'retry-after': String(answer.retryAfterSeconds) }
          : {}),
      })
      response.end(JSON.stringify({ error: { message: `Scripted ${answer.status}` } }))
      return
    }
    const send = () => {
      if (!response.destroyed) {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify(completion(model, answer.text)))
      }
    }
    if (answer.delayMs !== undefined) {
      const timer = setTimeout(send, answer.delayMs)
      response.on('close', () => clearTimeout(timer))
    } else {
      send()
    }
  }
}

function completion(model: string, text: string) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  }
}
