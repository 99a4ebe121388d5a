import OpenAI from 'openai'
import type { Transcript } from '../transcript.js'
import { transcriptLines } from '../transcript.js'
import {
  chunkLines,
  estimateTokens,
  CHARS_PER_TOKEN,
  truncateToTokens,
} from '../text/token_budget.js'
import { LlmFailure } from './llm_failure.js'
import {
  mergePrompt,
  partPrompt,
  PROMPT_OVERHEAD_CHARS,
  SYSTEM_PROMPT,
  wholePrompt,
} from './prompts.js'

export interface LlmEndpoint {
  /** An OpenAI-compatible API root, e.g. http://ollama:11434/v1; OpenAI's when absent. */
  baseUrl?: string
  /** Absent for endpoints that need none (a local Ollama or vLLM). */
  apiKey?: string
  model: string
  /** Tokens one request may carry, prompt and content together (estimated). */
  maxInputTokens: number
  /** Per HTTP attempt. */
  timeoutMs: number
  /** Retries of one request on 429, 5xx, timeouts and connection errors. */
  maxRetries: number
  /** The HTTP client; the plugin passes its permission-checked one. */
  fetch?: typeof fetch
}

export interface LlmSummary {
  text: string
  /** How many pieces the content was cut into (1: it fit in one request). */
  chunks: number
  /** Chat completions that answered. */
  requests: number
}

/*
 * Room kept for what the estimate may miss (tokenizers that pack fewer
 * characters per token, the chat template's own tokens).
 */
const PROMPT_MARGIN_TOKENS = 200
// Map requests in flight at once: enough to be quick, few enough not to trip rate limits.
const PARALLEL_REQUESTS = 3

/**
 * Summarizes a transcript with a chat completion model. Content larger
 * than one request's budget is cut into chunks of whole lines, each
 * summarized (map), then the partial summaries merged (reduce), in
 * rounds when even they exceed the budget.
 */
export class LlmSummarizer {
  readonly #endpoint: LlmEndpoint
  readonly #client: OpenAI
  readonly #contentBudget: number

  constructor(endpoint: LlmEndpoint) {
    this.#endpoint = endpoint
    this.#client = new OpenAI({
      baseURL: endpoint.baseUrl,
      // The client refuses to start without a key: keyless endpoints get a
      // placeholder that the null header below keeps from being sent.
      apiKey: endpoint.apiKey ?? 'none',
      defaultHeaders: endpoint.apiKey ? undefined : { Authorization: null },
      timeout: endpoint.timeoutMs,
      maxRetries: endpoint.maxRetries,
      fetch: endpoint.fetch,
    })
    this.#contentBudget =
      endpoint.maxInputTokens -
      PROMPT_MARGIN_TOKENS -
      Math.ceil(PROMPT_OVERHEAD_CHARS / CHARS_PER_TOKEN)
    if (this.#contentBudget < 100) {
      throw new RangeError(`max_input_tokens ${endpoint.maxInputTokens} leaves no room for content`)
    }
  }

  async summarize(transcript: Transcript, signal?: AbortSignal): Promise<LlmSummary> {
    const run: Run = { requests: 0, signal }
    const chunks = chunkLines(transcriptLines(transcript), this.#contentBudget)
    if (chunks.length === 1) {
      const text = await this.#complete(run, wholePrompt(transcript.title, chunks[0]))
      return { text, chunks: 1, requests: run.requests }
    }
    const partials = await inParallel(chunks, PARALLEL_REQUESTS, (chunk, index) =>
      this.#complete(run, partPrompt(transcript.title, index + 1, chunks.length, chunk))
    )
    const text = await this.#merge(run, transcript.title, partials)
    return { text, chunks: chunks.length, requests: run.requests }
  }

  /**
   * One merge request when the partial summaries fit together, otherwise
   * merges of groups first. Each partial is cut to half the budget so a
   * group always holds two or more: every round leaves fewer summaries.
   */
  async #merge(run: Run, title: string, partials: string[]): Promise<string> {
    const numbered = partials.map((partial, index) => `Summary of part ${index + 1}:\n${partial}`)
    if (estimateTokens(numbered.join('\n\n')) <= this.#contentBudget) {
      return this.#complete(run, mergePrompt(title, numbered.join('\n\n')))
    }
    const half = Math.floor(this.#contentBudget / 2) - 1
    const groups = chunkLines(
      numbered.map((partial) => truncateToTokens(partial, half)),
      this.#contentBudget
    )
    const merged = await inParallel(groups, PARALLEL_REQUESTS, (group) =>
      this.#complete(run, mergePrompt(title, group))
    )
    return this.#merge(run, title, merged)
  }

  async #complete(run: Run, prompt: string) {
    try {
      const completion = await this.#client.chat.completions.create(
        {
          model: this.#endpoint.model,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: prompt },
          ],
        },
        { signal: run.signal }
      )
      run.requests++
      const text = completion.choices[0]?.message?.content?.trim()
      if (!text) {
        throw new LlmFailure('llm_empty_response', 'The model answered without text')
      }
      return text
    } catch (error) {
      throw LlmFailure.from(error)
    }
  }
}

interface Run {
  requests: number
  signal?: AbortSignal
}

/**
 * Runs `work` on every item, at most `limit` at a time, results in item
 * order. After a failure no further item starts: the summary is lost anyway.
 */
async function inParallel<Item, Result>(
  items: Item[],
  limit: number,
  work: (item: Item, index: number) => Promise<Result>
): Promise<Result[]> {
  const results = new Array<Result>(items.length)
  let next = 0
  let failed = false
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++
      try {
        results[index] = await work(items[index], index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
