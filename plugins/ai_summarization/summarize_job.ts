import type { PluginContext } from '#plugin-api'
import { llmEndpoint, type SummarizationSettings } from './settings.js'
import { readTranscript } from './sources/read_transcript.js'
import { summarizeTranscript } from './summarize_transcript.js'
import { SummaryRecords, summaryResource, type SummaryFailureCode } from './summary_records.js'

/** The job's time limit (declared in the plugin's `limits`). */
export const JOB_TIMEOUT_MS = 120_000
// The model must give up early enough for the extractive fallback to be stored and pushed.
const MODEL_DEADLINE_MS = JOB_TIMEOUT_MS - 20_000

/**
 * Makes a pending summary: reads the source as its requester (so nothing
 * they cannot read is used), summarizes it, stores the result and tells
 * the requester's sockets. Runs at least once: a summary no longer
 * pending is left alone.
 */
export async function summarizeJob(
  ctx: PluginContext<SummarizationSettings>,
  data: Record<string, unknown>
) {
  const records = new SummaryRecords(ctx.db)
  const summary = await records.find(Number(data.summary_id))
  if (!summary || summary.status !== 'pending') {
    return
  }
  const requesterId = summary.requester_id
  try {
    const content = await readTranscript(ctx.api.as(requesterId), summary.source)
    if (!content) {
      return await fail(ctx, records, summary.id, requesterId, 'E_SOURCE_UNAVAILABLE')
    }
    const outcome = await summarizeTranscript(content.transcript, {
      endpoint: llmEndpoint(ctx.settings, ctx.http),
      redactPii: ctx.settings.redact_pii ?? false,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(MODEL_DEADLINE_MS)]),
      onFallback: (failure) =>
        ctx.logger.warn(
          { summary_id: summary.id, reason: failure.reason, err: failure.cause ?? failure },
          'The model gave no summary; falling back to the extractive one'
        ),
    })
    const ready = await records.complete(summary.id, outcome, content.truncated)
    if (ready) {
      await ctx.realtime.toMember(requesterId, 'summary.ready', summaryResource(ready))
    }
  } catch (error) {
    // The requester waits for an answer: a summary never stays pending.
    ctx.logger.error({ summary_id: summary.id, err: error }, 'Summary failed')
    await fail(ctx, records, summary.id, requesterId, 'E_SUMMARY_FAILED')
  }
}

async function fail(
  ctx: PluginContext<SummarizationSettings>,
  records: SummaryRecords,
  id: number,
  requesterId: number,
  code: SummaryFailureCode
) {
  const failed = await records.fail(id, code)
  if (failed) {
    await ctx.realtime.toMember(requesterId, 'summary.failed', summaryResource(failed))
  }
}
