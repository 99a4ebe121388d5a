import { APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai'

/**
 * Why the model gave no summary, as the stable code stored in a summary's
 * `fallback_reason`:
 * - llm_timeout: no answer within `request_timeout_ms` (after retries) or the job's deadline;
 * - llm_rate_limited: still 429 after the client's retries;
 * - llm_unavailable: 5xx or no connection, after retries;
 * - llm_rejected: the endpoint refused the request (bad key, unknown model, input too long);
 * - llm_empty_response: an answer without text.
 */
export type LlmFailureReason =
  'llm_timeout' | 'llm_rate_limited' | 'llm_unavailable' | 'llm_rejected' | 'llm_empty_response'

export class LlmFailure extends Error {
  constructor(
    readonly reason: LlmFailureReason,
    message: string,
    options?: ErrorOptions
  ) {
    super(message, options)
  }

  static from(error: unknown): LlmFailure {
    if (error instanceof LlmFailure) {
      return error
    }
    const message = error instanceof Error ? error.message : String(error)
    // Order matters: the timeout and abort errors are connection errors too.
    if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
      return new LlmFailure('llm_timeout', message, { cause: error })
    }
    if (error instanceof RateLimitError) {
      return new LlmFailure('llm_rate_limited', message, { cause: error })
    }
    if (error instanceof APIError && (error.status === undefined || error.status >= 500)) {
      return new LlmFailure('llm_unavailable', message, { cause: error })
    }
    if (error instanceof APIError) {
      return new LlmFailure('llm_rejected', message, { cause: error })
    }
    return new LlmFailure('llm_unavailable', message, { cause: error })
  }
}
