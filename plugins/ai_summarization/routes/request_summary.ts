import { PluginError, reply, type PluginRoute } from '#plugin-api'
import type { SummarizationSettings } from '../settings.js'
import { parseSummaryRequest } from '../summary_request.js'
import { canReadSource } from '../sources/source_access.js'
import { SummaryRecords, summaryResource } from '../summary_records.js'
import { requesterOf } from './requester.js'

/**
 * POST /summaries: checks that the requester may read the source, then
 * queues the work and answers 202 with the pending summary. The result
 * arrives as `plugin:ai_summarization:summary.ready` (or `.failed`) on the
 * requester's sockets, and from GET /summaries/:id.
 */
export const requestSummary: PluginRoute<SummarizationSettings> = {
  method: 'post',
  path: '/summaries',
  auth: 'member',
  async handler(ctx, request) {
    const requester = requesterOf(request)
    const source = await parseSummaryRequest(request.body)
    if (!(await canReadSource(ctx.api.as(requester.id), source))) {
      throw new PluginError('E_NOT_FOUND', 'Nothing to summarize there', 404)
    }
    const summary = await new SummaryRecords(ctx.db).create(requester.id, source)
    await ctx.jobs.enqueue('summarize', { summary_id: summary.id })
    return reply({ status: 202, body: { data: summaryResource(summary) } })
  },
}
