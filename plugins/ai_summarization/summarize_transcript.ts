import type { Transcript } from './transcript.js'
import { redactTranscript } from './transcript.js'
import { summarizeExtractively } from './text/extractive_summarizer.js'
import { LlmSummarizer, type LlmEndpoint } from './llm/llm_summarizer.js'
import { LlmFailure, type LlmFailureReason } from './llm/llm_failure.js'

export type SummaryMethod = 'llm' | 'extractive' | 'none'

/** What a summary says and how it was made: the result columns of a summary. */
export interface SummaryOutcome {
  method: SummaryMethod
  /** The model that wrote it (method 'llm'). */
  model: string | null
  /** Shown above the text, so nobody mistakes quoted sentences for an AI summary. */
  label: string
  text: string
  /** Set when a configured model failed and the summary is extractive instead. */
  fallback_reason: LlmFailureReason | null
  stats: { entries: number; chunks: number; llm_requests: number }
}

export const LABELS = {
  llm: (model: string) => `AI summary (${model})`,
  extractive:
    'Extractive summary: key sentences quoted from the conversation, no AI model involved',
  fallback:
    'Extractive summary (the AI model was unavailable): key sentences quoted from the conversation',
  none: 'Nothing to summarize',
}

/**
 * The model's summary when one is configured, otherwise (or when it
 * fails after its retries) the extractive one: a requester asked for a
 * summary and the content is at hand, so they get the best available now
 * rather than an error; `fallback_reason` says why it is not the model's.
 */
export async function summarizeTranscript(
  transcript: Transcript,
  options: {
    endpoint: LlmEndpoint | null
    redactPii: boolean
    signal?: AbortSignal
    /** Told why the model gave nothing, e.g. to log it for the admin. */
    onFallback?: (failure: LlmFailure) => void
  }
): Promise<SummaryOutcome> {
  const stats = { entries: transcript.entries.length, chunks: 0, llm_requests: 0 }
  if (transcript.entries.length === 0) {
    return {
      method: 'none',
      model: null,
      label: LABELS.none,
      text: '',
      fallback_reason: null,
      stats,
    }
  }
  let fallbackReason: LlmFailureReason | null = null
  if (options.endpoint) {
    try {
      const sent = options.redactPii ? redactTranscript(transcript) : transcript
      const summary = await new LlmSummarizer(options.endpoint).summarize(sent, options.signal)
      return {
        method: 'llm',
        model: options.endpoint.model,
        label: LABELS.llm(options.endpoint.model),
        text: summary.text,
        fallback_reason: null,
        stats: { ...stats, chunks: summary.chunks, llm_requests: summary.requests },
      }
    } catch (error) {
      const failure = LlmFailure.from(error)
      options.onFallback?.(failure)
      fallbackReason = failure.reason
    }
  }
  return {
    method: 'extractive',
    model: null,
    label: fallbackReason ? LABELS.fallback : LABELS.extractive,
    text: summarizeExtractively(transcript).text,
    fallback_reason: fallbackReason,
    stats,
  }
}
