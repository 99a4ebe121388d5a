import vine from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import type { PluginHttp } from '#plugin-api'
import type { LlmEndpoint } from './llm/llm_summarizer.js'

/** What a workspace admin configures; every field is optional. */
export const settingsSchema = vine.object({
  /** Any OpenAI-compatible API root: OpenAI, Azure OpenAI (…/openai/v1), vLLM, Ollama (…:11434/v1). */
  base_url: vine
    .string()
    .trim()
    .url({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
    .optional(),
  model: vine.string().trim().minLength(1).maxLength(200).optional(),
  /** Stored encrypted, returned masked (see `secrets`). */
  api_key: vine.string().trim().minLength(1).maxLength(2000).optional(),
  /** Replace emails, phone numbers, IBANs and card numbers before anything is sent. */
  redact_pii: vine.boolean().optional(),
  /** Estimated tokens per request (prompt and content); longer content is summarized in parts. */
  max_input_tokens: vine.number().withoutDecimals().min(1000).max(1_000_000).optional(),
  /** Per HTTP attempt to the model. */
  request_timeout_ms: vine.number().withoutDecimals().min(1000).max(120_000).optional(),
  /** Retries on 429, 5xx and timeouts. */
  max_retries: vine.number().withoutDecimals().min(0).max(5).optional(),
})

export type SummarizationSettings = Infer<typeof settingsSchema>

export const DEFAULTS = {
  model: 'gpt-4o-mini',
  max_input_tokens: 6000,
  request_timeout_ms: 30_000,
  max_retries: 2,
}

/**
 * The model to use, or null for the extractive summarizer. A model is
 * configured when there is a key (OpenAI itself when no base_url) or a
 * base_url (a local Ollama or vLLM needs no key).
 */
export function llmEndpoint(settings: SummarizationSettings, http: PluginHttp): LlmEndpoint | null {
  if (!settings.api_key && !settings.base_url) {
    return null
  }
  const timeoutMs = settings.request_timeout_ms ?? DEFAULTS.request_timeout_ms
  return {
    baseUrl: settings.base_url,
    apiKey: settings.api_key,
    model: settings.model ?? DEFAULTS.model,
    maxInputTokens: settings.max_input_tokens ?? DEFAULTS.max_input_tokens,
    timeoutMs,
    maxRetries: settings.max_retries ?? DEFAULTS.max_retries,
    // Through the plugin's HTTP client, which enforces the `network` permission.
    fetch: (input, init) => {
      if (input instanceof Request) {
        throw new TypeError('The model client sends URLs, not Request objects')
      }
      return http(input, { ...init, timeoutMs })
    },
  }
}
